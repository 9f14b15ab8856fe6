#include "base/cli_doc.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "daemon/version.h"

namespace warmth::base {
namespace {

// The date on every page: the day the pages last changed in substance, not
// the build's, so that two builds of one version give the same bytes.
constexpr char kManualDate[] = "2026-12-02";

bool Hidden(const CLI::App& app) {
  return app.get_group().empty();
}
bool Hidden(const CLI::Option& opt) {
  return opt.get_group().empty();
}

std::vector<const CLI::App*> Subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !Hidden(*sub); });
}

// The options a page or a completion lists: not hidden, and --help only at
// the top (CLI11 gives every subcommand one).
std::vector<const CLI::Option*> Options(const CLI::App& app, bool top) {
  const CLI::Option* help = app.get_help_ptr();
  return app.get_options([&](const CLI::Option* opt) {
    return !Hidden(*opt) && (top || opt != help) && opt->nonpositional();
  });
}

std::vector<const CLI::Option*> Positionals(const CLI::App& app) {
  return app.get_options([](const CLI::Option* opt) {
    return !Hidden(*opt) && !opt->nonpositional() && opt->get_positional();
  });
}

bool TakesValue(const CLI::Option& opt) {
  return opt.get_expected_max() > 0;  // flags expect none
}
bool Repeats(const CLI::Option& opt) {
  return opt.get_items_expected_max() > 1;
}

std::string Summary(const CLI::App& app) {
  const std::string& d = app.get_description();
  const std::string prefix = app.get_name() + ": ";
  return d.rfind(prefix, 0) == 0 ? d.substr(prefix.size()) : d;
}

// Text for roff: backslashes escaped, no line starting with a control
// character, non-ASCII as \[uXXXX] (neither groff nor mandoc then needs to
// know the encoding).
std::string Roff(const std::string& text, bool minus = false) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-' && minus) {
      out += "\\-";
    } else if (c == '\n') {
      out += ' ';
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
      std::uint32_t cp = c & (0x3fU >> extra);
      while (extra-- > 0 && i + 1 < text.size()) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[++i]) & 0x3fU);
      }
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\[u%04X]", static_cast<unsigned>(cp));
      out += buf;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) {
    out.insert(0, "\\&");
  }
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

std::string Bold(const std::string& s) {
  return "\\fB" + Roff(s, true) + "\\fR";
}
std::string Italic(const std::string& s) {
  return "\\fI" + Roff(s, true) + "\\fR";
}

// "\fB\-\-channel\fR, \fB\-c\fR \fITEXT\fR"
std::string OptionTag(const CLI::Option& opt) {
  std::string tag;
  for (const auto& l : opt.get_lnames()) {
    tag += (tag.empty() ? "" : ", ") + Bold("--" + l);
  }
  for (const auto& s : opt.get_snames()) {
    tag += (tag.empty() ? "" : ", ") + Bold("-" + s);
  }
  if (TakesValue(opt)) {
    const std::string type = opt.get_type_name().empty() ? "VALUE" : opt.get_type_name();
    tag += " " + Italic(type) + (Repeats(opt) ? " ..." : "");
  }
  return tag;
}

std::string Described(const CLI::Option& opt) {
  std::string text = opt.get_description();
  if (!opt.get_default_str().empty() && text.find("default") == std::string::npos) {
    text += " (default: " + opt.get_default_str() + ")";
  }
  if (opt.get_required() && opt.nonpositional()) {
    text += " Required.";
  }
  if (Repeats(opt) && opt.nonpositional() && text.find("repeatable") == std::string::npos) {
    text += " Repeatable.";
  }
  return Roff(text);
}

// "warmctl contact add [options] id": the synopsis line of one command.
std::string Usage(const std::string& path, const CLI::App& app, bool top) {
  std::string line = Bold(path);
  if (!Options(app, top).empty()) {
    line += " [" + Italic("options") + "]";
  }
  for (const CLI::Option* p : Positionals(app)) {
    const std::string name = Italic(p->get_name()) + (Repeats(*p) ? " ..." : "");
    line += " " + (p->get_required() ? name : "[" + name + "]");
  }
  if (!Subcommands(app).empty()) {
    line += " " + Italic("command") + " ...";
  }
  return line;
}

void WriteOptions(const CLI::App& app, bool top, std::ostream& out) {
  for (const CLI::Option* opt : Positionals(app)) {
    out << ".TP\n" << Italic(opt->get_name()) << '\n' << Described(*opt) << '\n';
  }
  for (const CLI::Option* opt : Options(app, top)) {
    out << ".TP\n" << OptionTag(*opt) << '\n' << Described(*opt) << '\n';
  }
}

void WriteCommands(const CLI::App& app, const std::string& path, std::ostream& out) {
  for (const CLI::App* sub : Subcommands(app)) {
    const std::string sub_path = path + " " + sub->get_name();
    out << ".SS \"" << Roff(sub_path, true) << "\"\n"
        << Usage(sub_path, *sub, false) << "\n.PP\n"
        << Roff(sub->get_description()) << '\n';
    WriteOptions(*sub, false, out);
    WriteCommands(*sub, sub_path, out);
  }
}

// The completion scripts read one table, a line per fact, '|' between
// fields (none may hold one):
//   s|PATH|NAME|DESCRIPTION                       NAME is a subcommand of PATH
//   o|PATH|NAMES|ARG|VALUES|DESCRIPTION           an option: NAMES "--channel,-c", ARG 1 takes a
//   value p|PATH|INDEX|MULTI|VALUES|DESCRIPTION         the INDEXth positional (MULTI 1: and the
//   rest)
// PATH is the subcommands from the top, space-separated ("" at the top);
// VALUES is "", "w:WORD WORD…", "f" (files), "d" (directories) or
// "c:ARGS" (the program's output with ARGS).
std::string Field(std::string s) {
  for (char& c : s) {
    if (c == '|' || c == '\n' || c == '\'' || c == '\\') {
      c = c == '\'' ? '`' : c == '\\' ? '/' : c == '|' ? '/' : ' ';
    }
  }
  return s;
}

std::string Values(const CompletionHints& hints, const std::string& path, const std::string& name) {
  auto it = hints.find(path.empty() ? name : path + " " + name);
  if (it == hints.end()) {
    it = hints.find(name);
  }
  if (it == hints.end()) {
    return "";
  }
  const CompletionValues& v = it->second;
  switch (v.kind) {
    case CompletionValues::Kind::kNone:
      return "";
    case CompletionValues::Kind::kWords: {
      std::string words;
      for (const auto& w : v.words) {
        words += (words.empty() ? "" : " ") + w;
      }
      return "w:" + words;
    }
    case CompletionValues::Kind::kFiles:
      return "f";
    case CompletionValues::Kind::kDirs:
      return "d";
    case CompletionValues::Kind::kCommand:
      return "c:" + v.command;
  }
  return "";
}

void WriteTable(const CLI::App& app, const std::string& path, const CompletionHints& hints,
                std::ostream& out) {
  for (const CLI::Option* opt : Options(app, path.empty())) {
    std::string names;
    for (const auto& l : opt->get_lnames()) {
      names += (names.empty() ? "--" : ",--") + l;
    }
    for (const auto& s : opt->get_snames()) {
      names += (names.empty() ? "-" : ",-") + s;
    }
    const std::string first = names.substr(0, names.find(','));
    out << "o|" << path << '|' << names << '|' << (TakesValue(*opt) ? 1 : 0) << '|'
        << Field(Values(hints, path, first)) << '|' << Field(opt->get_description()) << '\n';
  }
  int index = 0;
  for (const CLI::Option* p : Positionals(app)) {
    out << "p|" << path << '|' << index++ << '|' << (Repeats(*p) ? 1 : 0) << '|'
        << Field(Values(hints, path, p->get_name())) << '|' << Field(p->get_description()) << '\n';
  }
  for (const CLI::App* sub : Subcommands(app)) {
    out << "s|" << path << '|' << sub->get_name() << '|' << Field(sub->get_description()) << '\n';
  }
  for (const CLI::App* sub : Subcommands(app)) {
    WriteTable(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), hints, out);
  }
}

// The shells' engines: each walks the words before the cursor through the
// table to the current subcommand, skipping option values, then offers
// what fits there. @F@ is the function prefix, @TABLE@ the table.
constexpr char kBash[] = R"sh(# bash completion for @PROG@, generated by @PROG@ completion bash.
_@F@_table() {
  cat <<'WARMTH_TABLE'
@TABLE@WARMTH_TABLE
}

# _@F@_option PATH WORD: "ARG|VALUES" of option WORD at PATH or above.
_@F@_option() {
  local want=$1 word=$2 kind p names arg values desc
  while :; do
    while IFS='|' read -r kind p names arg values desc; do
      if [[ $kind == o && $p == "$want" && ,$names, == *,"$word",* ]]; then
        printf '%s|%s\n' "$arg" "$values"
        return
      fi
    done <<<"$(_@F@_table)"
    [[ -z $want ]] && return
    if [[ $want == *' '* ]]; then want=${want% *}; else want=''; fi
  done
}

# _@F@_values CUR VALUES: COMPREPLY from a VALUES field.
_@F@_values() {
  local cur=$1 words
  case $2 in
    w:*) mapfile -t COMPREPLY < <(compgen -W "${2#w:}" -- "$cur") ;;
    f)
      compopt -o filenames 2>/dev/null || true
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      ;;
    d)
      compopt -o filenames 2>/dev/null || true
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      ;;
    c:*)
      # shellcheck disable=SC2086
      words=$("${COMP_WORDS[0]}" ${2#c:} 2>/dev/null)
      mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
      ;;
    *) COMPREPLY=() ;;
  esac
}

_@F@() {
  local cur=${COMP_WORDS[COMP_CWORD]} cmdpath='' npos=0 pending=0 pvalues='' i w found
  local kind p name arg values desc
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if ((pending)); then pending=0; continue; fi
    case $w in
      --*=*) ;;
      -*)
        found=$(_@F@_option "$cmdpath" "$w")
        if [[ ${found%%|*} == 1 ]]; then pending=1; pvalues=${found#*|}; fi
        ;;
      *)
        found=''
        while IFS='|' read -r kind p name desc; do
          if [[ $kind == s && $p == "$cmdpath" && $name == "$w" ]]; then found=1; break; fi
        done <<<"$(_@F@_table)"
        if [[ -n $found ]]; then
          cmdpath=${cmdpath:+$cmdpath }$w
          npos=0
        else
          npos=$((npos + 1))
        fi
        ;;
    esac
  done
  if ((pending)); then
    _@F@_values "$cur" "$pvalues"
    return
  fi
  local opts='' subs='' posvalues='' lastvalues=''
  while IFS='|' read -r kind p name arg values desc; do
    [[ $p == "$cmdpath" ]] || continue
    case $kind in
      o) opts+=" ${name//,/ }" ;;
      s) subs+=" $name" ;;
      p)
        [[ $name == "$npos" ]] && posvalues=$values
        [[ $arg == 1 && $name -le $npos ]] && lastvalues=$values
        ;;
    esac
  done <<<"$(_@F@_table)"
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
  elif [[ -n $subs ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
  else
    _@F@_values "$cur" "${posvalues:-$lastvalues}"
  fi
}
complete -F _@F@ @PROG@
)sh";

constexpr char kZsh[] = R"sh(#compdef @PROG@
# zsh completion for @PROG@, generated by @PROG@ completion zsh.
_@F@_table() {
  cat <<'WARMTH_TABLE'
@TABLE@WARMTH_TABLE
}

_@F@_values() {
  case $1 in
    w:*) compadd -- ${=${1#w:}} ;;
    f) _files ;;
    d) _files -/ ;;
    c:*) compadd -- ${(f)"$(${words[1]} ${=${1#c:}} 2>/dev/null)"} ;;
  esac
}

_@F@() {
  local -a table parts opts subs
  local cmdpath='' npos=0 pending='' i w line want found sub posvalues='' lastvalues=''
  local cur=${words[CURRENT]}
  table=("${(@f)$(_@F@_table)}")
  for ((i = 2; i < CURRENT; i++)); do
    w=${words[i]}
    if [[ -n $pending ]]; then pending=''; continue; fi
    if [[ $w == --*=* ]]; then continue; fi
    if [[ $w == -* ]]; then
      want=$cmdpath
      found=''
      while [[ -z $found ]]; do
        for line in $table; do
          parts=("${(@s:|:)line}")
          if [[ $parts[1] == o && $parts[2] == $want ]] && (( ${${(s:,:)parts[3]}[(Ie)$w]} )); then
            found=1
            [[ $parts[4] == 1 ]] && pending="v:$parts[5]"
            break
          fi
        done
        [[ -n $found || -z $want ]] && break
        if [[ $want == *' '* ]]; then want=${want% *}; else want=''; fi
      done
      continue
    fi
    sub=''
    for line in $table; do
      parts=("${(@s:|:)line}")
      if [[ $parts[1] == s && $parts[2] == $cmdpath && $parts[3] == $w ]]; then sub=1; break; fi
    done
    if [[ -n $sub ]]; then
      cmdpath=${cmdpath:+$cmdpath }$w
      npos=0
    else
      npos=$((npos + 1))
    fi
  done
  if [[ -n $pending ]]; then
    _@F@_values "${pending#v:}"
    return
  fi
  for line in $table; do
    parts=("${(@s:|:)line}")
    [[ $parts[2] == $cmdpath ]] || continue
    case $parts[1] in
      o) for w in ${(s:,:)parts[3]}; do opts+=("$w:$parts[6]"); done ;;
      s) subs+=("$parts[3]:$parts[4]") ;;
      p)
        [[ $parts[3] == $npos ]] && posvalues=$parts[5]
        [[ $parts[4] == 1 && $parts[3] -le $npos ]] && lastvalues=$parts[5]
        ;;
    esac
  done
  if [[ $cur == -* ]]; then
    _describe -t options option opts
  elif (( $#subs )); then
    _describe -t commands command subs
  else
    _@F@_values "${posvalues:-$lastvalues}"
  fi
}

_@F@ "$@"
)sh";

constexpr char kFish[] = R"sh(# fish completion for @PROG@, generated by @PROG@ completion fish.
function __@F@_table
    printf '%s\n' \
@TABLE@
end

function __@F@_values
    set -l cur $argv[2]
    switch $argv[1]
        case 'w:*'
            string split ' ' -- (string sub -s 3 -- $argv[1])
        case f
            __fish_complete_path $cur
        case d
            __fish_complete_directories $cur
        case 'c:*'
            set -l prog (commandline -opc)[1]
            $prog (string split ' ' -- (string sub -s 3 -- $argv[1])) 2>/dev/null
    end
end

function __@F@_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l table (__@F@_table)
    set -l cmdpath ''
    set -l npos 0
    set -l pending ''
    for w in $words[2..-1]
        if test -n "$pending"
            set pending ''
            continue
        end
        if string match -q -- '--*=*' $w
            continue
        else if string match -q -- '-*' $w
            set -l want $cmdpath
            set -l found ''
            while test -z "$found"
                for line in $table
                    set -l parts (string split '|' -- $line)
                    if test "$parts[1]" = o -a "$parts[2]" = "$want"; and contains -- $w (string split ',' -- $parts[3])
                        set found 1
                        if test "$parts[4]" = 1
                            set pending "v:$parts[5]"
                        end
                        break
                    end
                end
                if test -n "$found" -o -z "$want"
                    break
                end
                set want (string replace -r ' ?[^ ]*$' '' -- $want)
            end
        else
            set -l sub ''
            for line in $table
                set -l parts (string split '|' -- $line)
                if test "$parts[1]" = s -a "$parts[2]" = "$cmdpath" -a "$parts[3]" = "$w"
                    set sub 1
                    break
                end
            end
            if test -n "$sub"
                set cmdpath (string trim -- "$cmdpath $w")
                set npos 0
            else
                set npos (math $npos + 1)
            end
        end
    end
    if test -n "$pending"
        __@F@_values (string sub -s 3 -- $pending) $cur
        return
    end
    set -l opts
    set -l subs
    set -l posvalues ''
    set -l lastvalues ''
    for line in $table
        set -l parts (string split '|' -- $line)
        test "$parts[2]" = "$cmdpath"; or continue
        switch $parts[1]
            case o
                for n in (string split ',' -- $parts[3])
                    set -a opts "$n"\t"$parts[6]"
                end
            case s
                set -a subs "$parts[3]"\t"$parts[4]"
            case p
                test "$parts[3]" = "$npos"; and set posvalues $parts[5]
                if test "$parts[4]" = 1 -a "$parts[3]" -le "$npos"
                    set lastvalues $parts[5]
                end
        end
    end
    if string match -q -- '-*' $cur
        printf '%s\n' $opts
    else if test (count $subs) -gt 0
        printf '%s\n' $subs
    else if test -n "$posvalues"
        __@F@_values $posvalues $cur
    else
        __@F@_values "$lastvalues" $cur
    end
end

complete -c @PROG@ -f -a '(__@F@_complete)'
)sh";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

void WriteManPage(const CLI::App& app, const ManPage& page, std::ostream& out) {
  const std::string& name = app.get_name();
  out << ".\\\" Generated by " << name << " --manual; edit the prose in its source.\n"
      << ".TH " << Upper(name) << ' ' << page.section << ' ' << kManualDate << " \"warmth "
      << kVersion << "\" \"warmth manual\"\n"
      << ".SH NAME\n"
      << Roff(name, true) << " \\- " << Roff(Summary(app)) << "\n.SH SYNOPSIS\n";
  if (page.synopsis.empty()) {
    out << Usage(name, app, true) << '\n';
  } else {
    out << page.synopsis;
  }
  out << page.description;
  out << ".SH OPTIONS\n";
  WriteOptions(app, true, out);
  if (!Subcommands(app).empty()) {
    out << ".SH COMMANDS\n";
    WriteCommands(app, name, out);
  }
  out << page.tail;
}

void AddManualFlag(CLI::App& app, ManPage page, std::ostream& out) {
  app.add_flag_callback(
         "--manual",
         [&app, page = std::move(page), &out] {
           WriteManPage(app, page, out);
           throw CLI::Success();
         },
         "Print this program's man page (roff)")
      ->group("")
      ->trigger_on_parse();
}

void WriteCompletion(const CLI::App& app, Shell shell, const CompletionHints& hints,
                     std::ostream& out) {
  std::ostringstream table;
  WriteTable(app, "", hints, table);
  std::string rows = table.str();
  std::string script;
  switch (shell) {
    case Shell::kBash:
      script = kBash;
      break;
    case Shell::kZsh:
      script = kZsh;
      break;
    case Shell::kFish: {
      script = kFish;
      // printf's arguments, one quoted line each.
      std::string quoted;
      std::istringstream lines(rows);
      for (std::string line; std::getline(lines, line);) {
        quoted += "        '" + line + "' \\\n";
      }
      quoted += "        ''";
      rows = quoted;
      break;
    }
  }
  std::string prefix = app.get_name();
  for (char& c : prefix) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      c = '_';
    }
  }
  out << Replace(Replace(Replace(script, "@TABLE@", rows), "@F@", prefix), "@PROG@",
                 app.get_name());
}

}  // namespace warmth::base
