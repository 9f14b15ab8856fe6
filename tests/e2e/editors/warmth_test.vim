" Drives the plugin in clients/vim as a user would, in Vim (-es) or Neovim
" (--headless); vim_test.sh wrote the notes and checks with warmctl what
" reached the daemon. Each step's buffer and messages go to files in
" $WARMTH_TEST_DIR; any failure here writes error.txt and exits non-zero.
set nomore
let s:dir = $WARMTH_TEST_DIR
let s:editor = $WARMTH_TEST_EDITOR
let &runtimepath = $WARMTH_PLUGIN_DIR . ',' . &runtimepath
runtime plugin/warmth.vim
let g:warmth_warmctl = $WARMTH_WARMCTL

" Waits for the plugin's warmctl jobs; their callbacks run while we sleep.
function! s:Wait() abort
  let start = reltime()
  while warmth#running() > 0
    if reltimefloat(reltime(start)) > 5
      throw 'warmctl jobs still running after 5 s'
    endif
    sleep 20m
  endwhile
endfunction

function! s:Expect(condition, what) abort
  if !a:condition
    throw 'expected ' . a:what
  endif
endfunction

function! s:Save(name) abort
  call writefile([bufname('%')] + getline(1, '$'), s:dir . '/' . a:name . '.txt')
endfunction

function! s:Run() abort
  " The note's front matter names the contact and the date; the channel is given.
  execute 'edit' fnameescape(s:dir . '/meeting.md')
  normal! G0
  WarmthLog in_person
  " The command returned before warmctl answered: the editor did not block.
  call s:Expect(warmth#running() == 1, 'a warmctl job running after :WarmthLog returned')
  call s:Wait()

  " The e-mail address under the cursor; the default channel, now.
  execute 'edit' fnameescape(s:dir . '/plain.md')
  " (Vim's Ex mode starts on the last line.)
  call cursor(1, 1)
  call s:Expect(search('bo-') > 0, 'the address in plain.md')
  normal! 2l
  WarmthLog
  call s:Wait()
  call s:Expect(search('555 02') > 0, 'the number in plain.md')
  WarmthLog message
  call s:Wait()
  call s:Expect(search('@bo-') > 0, 'the handle in plain.md')
  normal! l
  WarmthLog social
  call s:Wait()

  " Named in the command: a channel and a number with spaces.
  execute 'WarmthLog letter tel:+1 202 555 03' . (s:editor ==# 'vim' ? '11' : '22')
  call s:Wait()

  " Other front-matter keys and another default channel, by option.
  let g:warmth_frontmatter_keys = ['who']
  let g:warmth_default_channel = 'video'
  execute 'edit' fnameescape(s:dir . '/keys.md')
  normal! G0
  WarmthLog
  call s:Wait()
  unlet g:warmth_frontmatter_keys g:warmth_default_channel

  " A date in the future: the daemon refuses it and the reason is shown.
  execute 'edit' fnameescape(s:dir . '/future.md')
  WarmthLog
  call s:Wait()

  WarmthList
  call s:Wait()
  call s:Expect(bufname('%') ==# 'warmth://list', 'the list buffer, not ' . bufname('%'))
  call s:Save('list')
  call s:Expect(search('(dee-') > 0, 'dee in the list')
  execute "normal \<CR>"
  call s:Wait()
  wincmd P
  call s:Save('show')
  wincmd p

  WarmthNudges
  call s:Wait()
  call s:Save('nudges')
  " On a nudge's line :WarmthDone acts on that nudge; given a contact, on that contact.
  call s:Expect(search('talked with Ed') > 0, 'the nudge about Ed')
  WarmthDone
  call s:Wait()
  " The nudges buffer, on screen, is refreshed; the cursor stays in it.
  call s:Save('nudges-after')
  execute 'WarmthDone' 'dee-' . s:editor
  call s:Wait()

  " No daemon where warmctl looks: the error is shown, not swallowed.
  let runtime = $XDG_RUNTIME_DIR
  let $XDG_RUNTIME_DIR = s:dir . '/no-daemon'
  execute 'WarmthLog' 'ann-' . s:editor
  call s:Wait()
  let $XDG_RUNTIME_DIR = runtime

  call writefile(split(execute('messages'), "\n"), s:dir . '/messages.txt')
endfunction

try
  call s:Run()
catch
  call writefile([v:exception, v:throwpoint], s:dir . '/error.txt')
  cquit 1
endtry
qall!
