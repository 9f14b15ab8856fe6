#!/usr/bin/env bash
# cmake --install (component vim) into a temporary prefix: the plugin lands
# where Debian's vim and nvim load packages from (their default 'packpath'
# holds PREFIX/share/vim/vimfiles and PREFIX/share/nvim/site for the prefix
# /usr), and each installed editor, given only that directory, has the
# commands, the autoload functions and :help warmth.
#
#   vim_install_test.sh CMAKE BUILD_DIR
#
# Exit 77 (skipped) when neither vim (with +job) nor nvim is installed.
set -euo pipefail
cmake=$1 build=$2

editors=()
if command -v vim >/dev/null && vim -Nu NONE -es -c 'if !has("job") | cquit 1 | endif' -c 'qall!'; then
  editors+=(vim)
fi
command -v nvim >/dev/null && editors+=(nvim)
if [ ${#editors[@]} -eq 0 ]; then
  echo "SKIP: neither vim (with +job: vim-nox) nor nvim is installed"
  exit 77
fi

prefix=$(mktemp -d /tmp/warmth-vim-install-XXXXXX)
trap 'rm -rf "$prefix"' EXIT
"$cmake" --install "$build" --component vim --prefix "$prefix" >/dev/null

failures=0
for editor in "${editors[@]}"; do
  case $editor in
    vim) dir=share/vim/vimfiles run=(vim -N -i NONE -n -es) ;;
    nvim) dir=share/nvim/site run=(nvim --headless -i NONE -n) ;;
  esac
  # The editor's own default, without any user config: is /usr/$dir searched?
  "${run[@]}" -u NORC -c "call writefile([&packpath], '$prefix/$editor.packpath')" -c 'qall!' \
    </dev/null >/dev/null 2>&1 || true
  default=$(cat "$prefix/$editor.packpath" 2>/dev/null || true)
  case ",$default," in
    *,/usr/$dir,*) ;;
    *) echo "FAIL ($editor): /usr/$dir is not in its default packpath: $default"
       failures=$((failures + 1)) ;;
  esac
  package=$prefix/$dir/pack/warmth/start/warmth
  for file in plugin/warmth.vim autoload/warmth.vim doc/warmth.txt doc/tags; do
    [ -f "$package/$file" ] || { echo "FAIL ($editor): $package/$file is missing"; failures=$((failures + 1)); }
  done
  # Started with its packpath set to the installed directory alone.
  out=$prefix/$editor.out
  "${run[@]}" -u NORC --cmd "set packpath=$prefix/$dir" \
    -c "call writefile([exists(':WarmthLog'), exists(':WarmthList'), exists(':WarmthNudges'), exists(':WarmthDone'), warmth#running()], '$out')" \
    -c 'help :WarmthLog' -c "call writefile([expand('%:t'), getline('.')], '$out', 'a')" \
    -c 'qall!' </dev/null >/dev/null 2>&1 || true
  expected=$'2\n2\n2\n2\n0\nwarmth.txt'
  if [ "$(head -6 "$out" 2>/dev/null)" != "$expected" ] || ! sed -n 7p "$out" | grep -q '\*:WarmthLog\*'; then
    echo "FAIL ($editor): the installed package did not load: $(tr '\n' ' ' <"$out" 2>/dev/null)"
    failures=$((failures + 1))
  else
    echo "ok: $editor loads $dir/pack/warmth/start/warmth"
  fi
done
[ "$failures" -eq 0 ]
