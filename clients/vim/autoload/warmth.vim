" warmth: the work behind the commands in plugin/warmth.vim. :help warmth
"
" Every call to warmctl is a job (job_start in Vim, jobstart in Neovim) whose
" reply, one line of JSON on stdout, is handled in a callback: the editor
" never waits for the daemon.
let s:save_cpo = &cpo
set cpo&vim

let s:channels = ['in_person', 'call', 'video', 'voice_message', 'letter', 'message',
      \ 'email', 'social']

" What :WarmthLog takes from under the cursor. The handle must not be the
" tail of an e-mail address.
let s:cursor_patterns = [
      \ '\v[[:alnum:]._%+-]+\@[[:alnum:]-]+%(\.[[:alnum:]-]+)+',
      \ '\vtel:\+?\d[0-9 ()./-]*\d',
      \ '\v%(^|[^[:alnum:]._%+@-])\zs\@\w%([[:alnum:]_.-]*\w)?',
      \ ]

let s:running = 0
let s:buffers = {}

function! s:Option(name, default) abort
  return get(g:, 'warmth_' . a:name, a:default)
endfunction

function! s:Error(message) abort
  echohl ErrorMsg
  echomsg 'warmth: ' . a:message
  echohl None
endfunction

function! s:Info(message) abort
  echomsg 'warmth: ' . a:message
endfunction

" ---------------------------------------------------------------- jobs

" How many warmctl jobs have not finished yet.
function! warmth#running() abort
  return s:running
endfunction

" Runs `warmctl --json ARGS` and calls Done(reply) with the decoded reply.
" When warmctl fails, its one-line message on stderr is shown as an error
" instead; a reply it printed anyway (a refused interaction, exit 1) still
" goes to Done.
function! s:Warmctl(args, Done) abort
  let program = s:Option('warmctl', 'warmctl')
  if program =~# '^\~'
    let program = expand(program)
  endif
  if !executable(program)
    call s:Error('cannot run ' . program . ' (set g:warmth_warmctl)')
    return
  endif
  let job = {'out': [''], 'err': [''], 'Done': a:Done, 'status': -1, 'waiting': 2,
        \ 'command': [program] + s:Option('warmctl_args', []) + ['--json'] + a:args}
  if has('nvim')
    let id = jobstart(job.command, {'stdin': 'null',
          \ 'on_stdout': function('s:NvimOutput', [job.out]),
          \ 'on_stderr': function('s:NvimOutput', [job.err]),
          \ 'on_exit': function('s:NvimExit', [job])})
    if id <= 0
      call s:Error('cannot start ' . program)
      return
    endif
  else
    " exit_cb may come before the last output: finish after both it and close_cb.
    let handle = job_start(job.command, {'in_io': 'null', 'out_mode': 'nl', 'err_mode': 'nl',
          \ 'out_cb': function('s:VimOutput', [job.out]),
          \ 'err_cb': function('s:VimOutput', [job.err]),
          \ 'close_cb': function('s:VimClosed', [job]),
          \ 'exit_cb': function('s:VimExit', [job])})
    if job_status(handle) ==# 'fail'
      call s:Error('cannot start ' . program)
      return
    endif
  endif
  let s:running += 1
endfunction

" Neovim hands over chunks: the first item continues the last line.
function! s:NvimOutput(lines, id, data, event) abort
  let a:lines[-1] .= a:data[0]
  call extend(a:lines, a:data[1:])
endfunction

function! s:NvimExit(job, id, status, event) abort
  let a:job.status = a:status
  call s:Finish(a:job)
endfunction

function! s:VimOutput(lines, channel, line) abort
  call add(a:lines, a:line)
endfunction

function! s:VimClosed(job, channel) abort
  let a:job.waiting -= 1
  if a:job.waiting == 0
    call s:Finish(a:job)
  endif
endfunction

function! s:VimExit(job, handle, status) abort
  let a:job.status = a:status
  call s:VimClosed(a:job, 0)
endfunction

function! s:Finish(job) abort
  let s:running -= 1
  let out = join(filter(copy(a:job.out), 'v:val =~# "\\S"'), "\n")
  let err = filter(copy(a:job.err), 'v:val =~# "\\S"')
  let reply = {}
  if out !=# ''
    try
      let reply = json_decode(out)
    catch
      call s:Error('warmctl printed no JSON: ' . strpart(out, 0, 200))
      return
    endtry
  endif
  if a:job.status != 0 && (!empty(err) || type(reply) != v:t_dict || empty(reply))
    let message = empty(err) ? 'warmctl failed' : substitute(err[-1], '^warmctl: ', '', '')
    call s:Error(message . ' (exit ' . a:job.status . ')')
    return
  endif
  try
    call a:job.Done(reply)
  catch
    call s:Error(v:exception)
  endtry
endfunction

" ------------------------------------------------------- where contacts come from

" The e-mail address, tel: number or @handle the cursor is on, or ''.
function! s:ContactUnderCursor() abort
  let line = getline('.')
  let column = col('.') - 1
  for pattern in s:cursor_patterns
    let start = 0
    while 1
      let [text, from, to] = matchstrpos(line, pattern, start)
      if from < 0
        break
      endif
      if column >= from && column < to
        return text
      endif
      let start = to > from ? to : from + 1
    endwhile
  endfor
  return ''
endfunction

" One YAML scalar: quotes and a trailing comment removed.
function! s:YamlScalar(text) abort
  let text = trim(a:text)
  if text =~# '^".*"$' || text =~# "^'.*'$"
    return text[1:-2]
  endif
  return trim(substitute(text, '\s#.*$', '', ''))
endfunction

" The note's front matter (a first line `---`, up to `---` or `...`) as
" {key: [values]}: top-level `key: value`, `key: [a, b]` and `- item` lists.
" Enough YAML for notes; nothing nested.
function! s:FrontMatter() abort
  if getline(1) !~# '^---\s*$'
    return {}
  endif
  let matter = {}
  let key = ''
  for number in range(2, min([line('$'), 500]))
    let line = getline(number)
    if line =~# '^\%(---\|\.\.\.\)\s*$'
      return matter
    endif
    let pair = matchlist(line, '^\([[:alnum:]_-]\+\)\s*:\%(\s\+\(.*\)\)\=$')
    if !empty(pair)
      let key = tolower(pair[1])
      let value = s:YamlScalar(pair[2])
      if value =~# '^\[.*\]$'
        let matter[key] = map(split(value[1:-2], ','), 's:YamlScalar(v:val)')
      else
        let matter[key] = value ==# '' ? [] : [value]
      endif
    elseif key !=# '' && line =~# '^\s*-\s'
      call add(matter[key], s:YamlScalar(matchstr(line, '^\s*-\s\+\zs.*')))
    elseif line !~# '^\s'
      let key = ''
    endif
  endfor
  return {}
endfunction

" A phone number written plainly (`+1 202 555 0100`) is sent as tel:.
function! s:Identifier(value) abort
  if a:value =~# '^+\=[0-9][0-9 ()./-]*$' && len(substitute(a:value, '\D', '', 'g')) >= 3
    return 'tel:' . a:value
  endif
  return a:value
endfunction

" The contacts :WarmthLog and :WarmthDone act on when none is given: the one
" under the cursor, else those of the first front-matter key that has any.
function! s:ContactsHere() abort
  let here = s:ContactUnderCursor()
  if here !=# ''
    return [here]
  endif
  let matter = s:FrontMatter()
  for key in s:Option('frontmatter_keys', ['warmth', 'email', 'phone'])
    let values = filter(copy(get(matter, tolower(key), [])), 'v:val !=# ""')
    if !empty(values)
      return map(values, 's:Identifier(v:val)')
    endif
  endfor
  return []
endfunction

function! s:NoContact() abort
  call s:Error('no contact here: put the cursor on an e-mail address, tel: number or '
        \ . '@handle, or name one in the front matter (' . join(s:Option('frontmatter_keys',
        \ ['warmth', 'email', 'phone']), ', ') . ')')
endfunction

" The note's date (front matter), for --at; '' when it has none.
function! s:NoteDate() abort
  let key = s:Option('date_key', 'date')
  if key ==# ''
    return ''
  endif
  return get(get(s:FrontMatter(), tolower(key), []), 0, '')
endfunction

" ------------------------------------------------------------ the commands

function! warmth#complete_log(lead, line, position) abort
  return filter(copy(s:channels), 'stridx(v:val, a:lead) == 0')
endfunction

" Command arguments split at spaces: `tel:+1 202 555 0100` comes back whole.
function! s:JoinNumbers(args) abort
  let contacts = []
  for arg in a:args
    if !empty(contacts) && contacts[-1] =~# '^\%(tel:+\=\|+\)[0-9 ()./-]*$' && arg =~# '^[0-9()./-]\+$'
      let contacts[-1] .= ' ' . arg
    else
      call add(contacts, arg)
    endif
  endfor
  return contacts
endfunction

" :WarmthLog [channel] [contact…]
function! warmth#log(...) abort
  let args = copy(a:000)
  let channel = s:Option('default_channel', 'call')
  if !empty(args) && index(s:channels, tolower(args[0])) >= 0
    let channel = tolower(remove(args, 0))
  endif
  let contacts = empty(args) ? s:ContactsHere() : s:JoinNumbers(args)
  if empty(contacts)
    call s:NoContact()
    return
  endif
  let command = ['log'] + contacts + ['--channel', channel]
  let at = s:NoteDate()
  if at !=# ''
    call extend(command, ['--at', at])
  endif
  call s:Warmctl(command, function('s:Logged', [channel, at]))
endfunction

function! s:Logged(channel, at, reply) abort
  for item in get(a:reply, 'items', [])
    let outcome = get(item, 'outcome', '')
    if outcome ==# 'ACCEPTED'
      call s:Info('logged ' . a:channel . ' with ' . join(get(item, 'contactIds', []), ', ')
            \ . (a:at ==# '' ? '' : ' at ' . a:at))
    elseif outcome ==# 'DUPLICATE'
      call s:Info('already logged')
    else
      call s:Error('not logged: ' . get(item, 'reason', outcome))
    endif
  endfor
  call s:Refresh()
endfunction

function! s:Lower(enum, prefix) abort
  let name = tolower(a:enum)
  return name ==# a:prefix . '_unspecified' ? '' : name
endfunction

" 2026-12-02T14:23:10.8Z -> 2026-12-02 14:23 (UTC, as the daemon writes it).
function! s:When(timestamp) abort
  let when = matchstr(a:timestamp, '^\d\{4}-\d\d-\d\dT\d\d:\d\d')
  return when ==# '' ? '' : substitute(when, 'T', ' ', '')
endfunction

function! s:Label(contact) abort
  let name = get(a:contact, 'displayName', '')
  return name ==# '' ? a:contact.id : name . ' (' . a:contact.id . ')'
endfunction

" Shows lines in the scratch buffer `name` with the buffer variables
" b:warmth_{key} from `vars`: in its window if it has one, else in a new
" split (how 'split') or the preview window (how 'preview', the cursor stays
" where it was). How 'refresh': only if it has a window, the cursor stays.
function! s:Scratch(name, lines, vars, how) abort
  let previous = win_getid()
  let number = get(s:buffers, a:name, -1)
  let window = bufexists(number) ? bufwinid(number) : -1
  if window > 0
    call win_gotoid(window)
  elseif a:how ==# 'refresh'
    return
  elseif a:how ==# 'preview'
    execute 'silent pedit' fnameescape(a:name)
    wincmd P
  else
    execute 'silent' s:Option('split', 'botright split') fnameescape(a:name)
  endif
  setlocal buftype=nofile bufhidden=hide noswapfile nobuflisted nomodeline nowrap
  let view = winsaveview()
  setlocal modifiable
  silent %delete _
  call setline(1, a:lines)
  setlocal nomodifiable nomodified
  if a:how ==# 'refresh'
    call winrestview(view)
  endif
  let s:buffers[a:name] = bufnr('%')
  let b:warmth_ids = {}
  let b:warmth_nudges = {}
  for [key, value] in items(a:vars)
    let b:['warmth_' . key] = value
  endfor
  nnoremap <buffer> <silent> <CR> :call warmth#show_line()<CR>
  nnoremap <buffer> <silent> q :close<CR>
  setlocal filetype=warmth
  if a:how !=# 'split'
    call win_gotoid(previous)
  endif
endfunction

" After an interaction or done: the list and nudges buffers on screen again.
function! s:Refresh() abort
  let list = get(s:buffers, 'warmth://list', -1)
  if bufexists(list) && bufwinid(list) > 0
    call warmth#list(getbufvar(list, 'warmth_all', 0), 'refresh')
  endif
  let nudges = get(s:buffers, 'warmth://nudges', -1)
  if bufexists(nudges) && bufwinid(nudges) > 0
    call warmth#nudges('refresh')
  endif
endfunction

" :WarmthList[!]; how: see s:Scratch.
function! warmth#list(all, ...) abort
  let command = ['list']
  if a:all
    call add(command, '--all')
  endif
  let limit = s:Option('list_limit', 0)
  if limit > 0
    call extend(command, ['--limit', string(limit)])
  endif
  call s:Warmctl(command, function('s:Listed', [a:all, a:0 ? a:1 : 'split']))
endfunction

function! s:Listed(all, how, reply) abort
  let rows = get(a:reply, 'contacts', [])
  let lines = [printf('%6s  %-12s  %-30s  %-16s  %s', 'WARMTH', 'CIRCLE', 'CONTACT', 'LAST',
        \ 'CHANNEL')]
  let ids = {}
  for row in rows
    let contact = get(row, 'contact', {})
    let circle = s:Lower(get(contact, 'circle', ''), 'circle')
    call add(lines, printf('%6.1f  %-12s  %-30s  %-16s  %s', 0.0 + get(row, 'warmth', 0),
          \ circle ==# '' ? 'unsorted' : circle, s:Label(contact),
          \ s:When(get(row, 'lastInteractionAt', '')),
          \ s:Lower(get(row, 'lastChannel', ''), 'channel')))
    let ids[len(lines)] = contact.id
  endfor
  if empty(rows)
    call add(lines, a:all ? 'No contacts.'
          \ : 'No contacts with a circle (:WarmthList! shows the unsorted ones too).')
  endif
  call s:Scratch('warmth://list', lines, {'ids': ids, 'all': a:all}, a:how)
endfunction

" <CR> in a list or nudges buffer: that line's contact.
function! warmth#show_line() abort
  let id = get(get(b:, 'warmth_ids', {}), line('.'), '')
  if id !=# ''
    call warmth#show(id)
  endif
endfunction

function! warmth#show(id) abort
  call s:Warmctl(['contact', 'show', a:id], function('s:Shown'))
endfunction

function! s:Shown(reply) abort
  let contact = get(a:reply, 'contact', {})
  let circle = s:Lower(get(contact, 'circle', ''), 'circle')
  let lines = [s:Label(contact),
        \ printf('%-14s%s', 'circle:', circle ==# '' ? 'unsorted' : circle),
        \ printf('%-14s%.1f', 'warmth:', 0.0 + get(a:reply, 'warmth', 0))]
  if get(a:reply, 'coolsAt', '') !=# ''
    call add(lines, printf('%-14s%s', 'cools:', s:When(a:reply.coolsAt)))
  endif
  if get(a:reply, 'lastInteractionAt', '') !=# ''
    call add(lines, printf('%-14s%s, %s', 'last:',
          \ s:Lower(get(a:reply, 'lastChannel', ''), 'channel'), s:When(a:reply.lastInteractionAt)))
  endif
  call add(lines, printf('%-14s%s', 'interactions:', get(a:reply, 'interactionCount', '0')))
  for field in ['city', 'tags']
    let value = get(contact, field, '')
    let value = type(value) == v:t_list ? join(value, ', ') : value
    if value !=# ''
      call add(lines, printf('%-14s%s', field . ':', value))
    endif
  endfor
  for identifier in get(contact, 'identifiers', [])
    call add(lines, printf('%-14s%s', 'identifier:', identifier))
  endfor
  let recent = get(a:reply, 'recent', [])
  if !empty(recent)
    call add(lines, 'recent:')
    for interaction in recent
      call add(lines, printf('  %s  %-14s %s%s', s:When(get(interaction, 'occurredAt', '')),
            \ s:Lower(get(interaction, 'channel', ''), 'channel'),
            \ s:Lower(get(interaction, 'direction', ''), 'direction'),
            \ get(interaction, 'missed', v:false) ? ' (missed)' : ''))
    endfor
  endif
  call s:Scratch('warmth://contact', lines, {}, 'preview')
endfunction

" :WarmthNudges
function! warmth#nudges(...) abort
  call s:Warmctl(['nudges'], function('s:Nudged', [a:0 ? a:1 : 'split']))
endfunction

function! s:Nudged(how, reply) abort
  let nudges = get(a:reply, 'nudges', [])
  let lines = []
  let ids = {}
  let nudge_ids = {}
  for nudge in nudges
    call add(lines, printf('%-18s  %-12s  %s', get(nudge, 'id', ''),
          \ s:Lower(get(nudge, 'kind', ''), 'nudge_kind'), get(nudge, 'text', '')))
    let contacts = get(nudge, 'contactIds', [])
    if !empty(contacts)
      let ids[len(lines)] = contacts[0]
    endif
    let nudge_ids[len(lines)] = get(nudge, 'id', '')
  endfor
  if empty(nudges)
    let lines = ['No pending nudges.']
  endif
  call s:Scratch('warmth://nudges', lines, {'ids': ids, 'nudges': nudge_ids}, a:how)
endfunction

" :WarmthDone [contact]: else the nudge or contact on this line of a
" nudges or list buffer, else the contact under the cursor or in the note.
function! warmth#done(...) abort
  let command = ['done']
  let nudge = get(get(b:, 'warmth_nudges', {}), line('.'), '')
  let contact = get(get(b:, 'warmth_ids', {}), line('.'), '')
  if a:0
    let contact = a:1
    call add(command, contact)
  elseif nudge !=# ''
    call extend(command, ['--nudge', nudge])
  elseif contact !=# ''
    call add(command, contact)
  else
    let contacts = s:ContactsHere()
    if empty(contacts)
      call s:NoContact()
      return
    endif
    let contact = contacts[0]
    call add(command, contact)
  endif
  call extend(command, ['--channel', s:Option('default_channel', 'call')])
  call s:Warmctl(command, function('s:Done', [contact]))
endfunction

" The reply names the contact only when done was asked by contact.
function! s:Done(contact, reply) abort
  let cleared = len(get(a:reply, 'nudgeIds', []))
  let contact = get(a:reply, 'contactId', '')
  call s:Info('done with ' . (contact ==# '' ? a:contact : contact) . ', ' . cleared
        \ . (cleared == 1 ? ' nudge' : ' nudges') . ' cleared')
  call s:Refresh()
endfunction

let &cpo = s:save_cpo
unlet s:save_cpo
