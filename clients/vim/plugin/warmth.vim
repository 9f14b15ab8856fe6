" warmth: log calls and meetings from notes, see who has gone cold.
" Commands only; the work is in autoload/warmth.vim. :help warmth
if exists('g:loaded_warmth') || &compatible
  finish
endif
let g:loaded_warmth = 1

command! -nargs=* -complete=customlist,warmth#complete_log WarmthLog call warmth#log(<f-args>)
command! -nargs=0 -bang WarmthList call warmth#list(<bang>0)
command! -nargs=0 WarmthNudges call warmth#nudges()
command! -nargs=? WarmthDone call warmth#done(<f-args>)
