#!/usr/bin/env bash
# po_check.sh — is every interface text translated into Dutch?
#
# Collects every msgid the program can look up and checks that
# a Dutch catalogue (src/web/po/nl.po or a feature's src/features/*/po/nl.po)
# has it with a non-empty msgstr. msgids come from:
#   - templates (src/web/templates/*.html, src/features/*/templates/*.html):
#     {{_ "Text"}}, also several on one
#     line or a tag split over lines;
#   - C sources (src/*/*.c, src/*/*/*.c): the string literal arguments of
#       app_t(q, "…")  i18n_get(lang, "…")  app_error(q, N, "…")
#       form_error(q, e, "field", "…")  form_page(q, N, "tpl", "Title", …)
#     the strings assigned in `msg = …;` (also both sides of a ?: ),
#     the `return "…"` strings of error_title(), the second string of each
#     { "key", "message" } pair in flash_msgs[] and in a feature's flashes[], and every string in the
#     label tables (role_names[] and every table named *_labels[]; these
#     are shown with {{t name}}), and the .label and .help of form fields.
#   Adjacent C literals ("a" "b", also over two lines) are joined first, as the
#   compiler does; comments and character constants are skipped.
# msgids that contain a printf conversion (%zu, %d, …) must carry
# "#, c-format" in nl.po, so msgfmt --check compares the conversions.
# A msgid in more than one catalogue must have the same Dutch text in each.
#
# Usage: tests/po_check.sh [--list]   (--list: only print the msgids found)
# Exit 0 when complete, 1 otherwise (each problem on its own line).
# Needs only bash, sed, awk (mawk or gawk) and grep.
set -u
cd "$(dirname "$0")/.."
# The Dutch catalogues: the shared one and each feature's own.
PO=${PO:-$(ls src/web/po/nl.po src/features/*/po/nl.po 2>/dev/null | tr '\n' ' ')}

# One msgid per line, escaped as in a .po file (\" \\ \n).
extract_templates() {
  local f
  for f in src/web/templates/*.html src/features/*/templates/*.html src/features/*/templates/*.txt; do
    [ -f "$f" ] || continue
    awk -v file="$f" '
      { text = text $0 "\n" }
      END {
        rest = text
        while ((i = index(rest, "{{")) > 0) {
          rest = substr(rest, i + 2)
          j = index(rest, "}}")
          if (j == 0) break
          tag = substr(rest, 1, j - 1)
          rest = substr(rest, j + 2)
          sub(/^[ \t\n]+/, "", tag)
          if (substr(tag, 1, 3) == "n_ ") {
            # {{n_ "%d thing" "%d things" value}}: a plural pair
            t = substr(tag, 4)
            n = 0
            while (n < 2 && (q1 = index(t, "\"")) > 0) {
              t = substr(t, q1 + 1); q2 = index(t, "\"")
              if (q2 == 0) break
              form[++n] = substr(t, 1, q2 - 1); t = substr(t, q2 + 1)
            }
            if (n < 2) { print "BAD\t" file ": {{n_ needs two quoted texts"; continue }
            print "PL\t" form[1] "\t" form[2]
            continue
          }
          if (substr(tag, 1, 1) != "_") continue
          q1 = index(tag, "\"")
          if (q1 == 0) { print "BAD\t" file ": {{_ without a quoted text" ; continue }
          t = substr(tag, q1 + 1)
          q2 = index(t, "\"")
          if (q2 == 0) { print "BAD\t" file ": {{_ without a closing quote" ; continue }
          t = substr(t, 1, q2 - 1)
          sub(/^[ \t\n]+/, "", t); sub(/[ \t\n]+$/, "", t)
          gsub(/\\/, "\\\\", t); gsub(/\n/, "\\n", t); gsub(/\t/, "\\t", t)
          print "ID\t" t
        }
      }' "$f"
  done
}

# Tokenises C: one token per line, "S<TAB>literal body" (adjacent literals
# joined) or "T<TAB>identifier/number/punctuation". Then matches the
# patterns listed above on the token stream.
extract_c() {
  local f
  for f in src/*/*.c src/*/*/*.c; do
    [ -f "$f" ] || continue
    awk -v file="$f" '
      function flush() { if (instr_pending) { print "S\t" lit; instr_pending = 0; lit = "" } }
      function tok(t) { flush(); print "T\t" t }
      { src = src $0 "\n" }
      END {
        n = length(src); i = 1; lit = ""; instr_pending = 0
        while (i <= n) {
          c = substr(src, i, 1)
          if (c == "/" && substr(src, i + 1, 1) == "*") {
            j = index(substr(src, i + 2), "*/"); if (j == 0) break
            i = i + 2 + j + 1; continue
          }
          if (c == "/" && substr(src, i + 1, 1) == "/") {
            j = index(substr(src, i), "\n"); if (j == 0) break
            i = i + j; continue
          }
          if (c == "#" ) { # preprocessor line (also #include "x.h"): skip, with continuations
            k = i; while (k > 1 && substr(src, k - 1, 1) ~ /[ \t]/) k--
            if (k == 1 || substr(src, k - 1, 1) == "\n") {
              while (i <= n) {
                j = index(substr(src, i), "\n"); if (j == 0) { i = n + 1; break }
                line = substr(src, i, j - 1); i = i + j
                if (line !~ /\\$/) break
              }
              continue
            }
          }
          if (c ~ /[ \t\n\r\f]/) { i++; continue }
          if (c == "\"") {
            j = i + 1; body = ""
            while (j <= n) {
              d = substr(src, j, 1)
              if (d == "\\") { body = body d substr(src, j + 1, 1); j += 2; continue }
              if (d == "\"" || d == "\n") break
              body = body d; j++
            }
            lit = lit body; instr_pending = 1; i = j + 1; continue
          }
          if (c == "\x27") { # character constant
            j = i + 1
            while (j <= n) { d = substr(src, j, 1); if (d == "\\") { j += 2; continue } if (d == "\x27" || d == "\n") break; j++ }
            tok("CHAR"); i = j + 1; continue
          }
          if (c ~ /[A-Za-z_0-9]/) {
            j = i; while (j <= n && substr(src, j, 1) ~ /[A-Za-z_0-9]/) j++
            tok(substr(src, i, j - i)); i = j; continue
          }
          tok(c); i++
        }
        flush()
      }' "$f" |
    awk -v file="$f" '
      BEGIN {
        FS = "\t"
        want["app_t"] = 2; want["i18n_get"] = 2; want["app_error"] = 3
        want["form_error"] = 4; want["form_page"] = 4; want["form_fail"] = 3
        plural["app_tn"] = 2
        want["N_"] = 1
        table["status_labels"] = 1; table["sector_labels"] = 1; table["role_names"] = 1
      }
      { k[++n] = $1; v[n] = $2 }
      function isT(x, s) { return k[x] == "T" && v[x] == s }
      END {
        depth = 0; fn = ""
        for (i = 1; i <= n; i++) {
          if (k[i] == "T" && v[i] == "{") depth++
          if (k[i] == "T" && v[i] == "}") depth--
          # remember the function we are in
          if (depth == 0 && k[i] == "T" && v[i] ~ /^[A-Za-z_]/ && isT(i + 1, "(")) fn = v[i]
          # plural pairs: app_tn(q, "one", "many", n)
          if (k[i] == "T" && (v[i] in plural) && isT(i + 1, "(") && k[i + 4] == "S" && isT(i + 5, ",") && k[i + 6] == "S") {
            print "PL\t" v[i + 4] "\t" v[i + 6]
            i = i + 6; continue
          }
          # calls
          if (k[i] == "T" && (v[i] in want) && isT(i + 1, "(")) {
            argn = 1; d = 0; nstr = 0; paren = 0; other = 0
            for (j = i + 2; j <= n; j++) {
              if (k[j] == "T" && (v[j] == "(" || v[j] == "[" || v[j] == "{")) { d++; if (argn == want[v[i]]) paren = 1; continue }
              if (k[j] == "T" && (v[j] == ")" || v[j] == "]" || v[j] == "}")) { if (d == 0) break; d--; continue }
              if (d == 0 && isT(j, ",")) { argn++; continue }
              if (argn != want[v[i]]) continue
              if (k[j] == "S") str[++nstr] = v[j]
            }
            if (!paren) for (m = 1; m <= nstr; m++) print "ID\t" str[m]
            i = i + 1; continue
          }
          # form tables (form_field x[] = {…};): .label = "…", .help = "…"
          if (depth == 0 && isT(i, "form_field")) inform = 1
          if (depth == 0 && isT(i, ";")) inform = 0
          if (inform && isT(i, ".") && (isT(i + 1, "label") || isT(i + 1, "help")) && isT(i + 2, "=") && k[i + 3] == "S") print "ID\t" v[i + 3]
          # msg = "…"; or msg = cond ? "…" : "…";
          if (isT(i, "msg") && isT(i + 1, "=") && !isT(i + 2, "=")) {
            for (j = i + 2; j <= n && !isT(j, ";"); j++) if (k[j] == "S") print "ID\t" v[j]
          }
          # error_title(): return "…";
          if (fn == "error_title" && depth > 0 && isT(i, "return") && k[i + 1] == "S") print "ID\t" v[i + 1]
          # label tables: every string in the initialiser
          if (k[i] == "T" && ((v[i] in table) || v[i] ~ /_labels$/ || v[i] == "flash_msgs" || v[i] == "flashes") && depth == 0) {
            for (j = i + 1; j <= n && !isT(j, ";") && !isT(j, "="); j++) ;
            if (!isT(j, "=")) continue
            name = v[i]; d = 0; pos = 0
            for (j = j + 1; j <= n && !isT(j, ";"); j++) {
              if (isT(j, "{")) { d++; pos = 0; continue }
              if (isT(j, "}")) { d--; continue }
              if (k[j] != "S") continue
              pos++
              if (name == "flash_msgs" || name == "flashes") { if (d == 2 && pos == 2) print "ID\t" v[j] }
              else print "ID\t" v[j]
            }
          }
        }
      }'
  done
}

extract() { { extract_templates; extract_c; } | sort -u; }

if [ "${1:-}" = "--list" ]; then
  extract | sed -n 's/^ID\t//p; s/^PL\t//p'
  exit 0
fi

for f in $PO; do
  if [ ! -f "$f" ]; then echo "FAIL: $f does not exist"; exit 1; fi
done

# nl.po as "msgid<TAB>msgstr<TAB>flags" lines (strings joined, still escaped).
parse_po() {
  awk '
    function emit() {
      if (have && pl != "") printf "%s\t%s\t%s\t%s\t%s\n", id, str, flags, pl, str1
      else if (have) printf "%s\t%s\t%s\n", id, str, flags
      have = 0; id = ""; str = ""; flags = ""; state = 0; pl = ""; str1 = ""
    }
    function body(s) { sub(/^[^"]*"/, "", s); sub(/"[ \t\r]*$/, "", s); return s }
    /^#,/ { if (state == 2) emit(); flags = flags $0; next }
    /^#/ { next }
    /^msgid_plural / { pl = body($0); state = 3; next }
    /^msgid / { if (state == 2 || state == 4) emit(); id = body($0); state = 1; have = 1; next }
    /^msgstr\[1\] / { str1 = body($0); state = 4; next }
    /^msgstr(\[0\])? / { str = body($0); state = 2; next }
    /^[ \t]*"/ { if (state == 1) id = id body($0); else if (state == 2) str = str body($0); else if (state == 3) pl = pl body($0); else if (state == 4) str1 = str1 body($0); next }
    /^[ \t]*$/ { if (state == 2 || state == 4) emit(); next }
    END { emit() }' "$1"
}

fail=0
found=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
extract > "$tmp/ids"
for f in $PO; do parse_po "$f" | sed "s|^|$f\t|"; done > "$tmp/po.src"
cut -f2- "$tmp/po.src" > "$tmp/po"
# The catalogues are merged into one table per language, so one msgid must
# mean the same in every catalogue (a feature's translation must not
# silently replace another's).
awk -F'\t' '$2 != "" {
    if (($2 in first) && first[$2] != $3) {
      print "FAIL: msgid \"" $2 "\" is \"" first[$2] "\" in " file[$2] " but \"" $3 "\" in " $1; bad++
    } else if (!($2 in first)) { first[$2] = $3; file[$2] = $1 }
  }
  END { exit bad > 0 }' "$tmp/po.src" || fail=$((fail + 1))

# One msgid, one Dutch text: catalogues are merged into one table, so two
# features translating the same msgid differently would make one of them
# show the other's words (the last catalogue loaded wins).
for f in $PO; do parse_po "$f" | awk -F'\t' -v file="$f" '$1 != "" { print $1 "\t" $2 "\t" file }'; done |
  awk -F'\t' '
    ($1 in str) && str[$1] != $2 {
      print "FAIL: msgid \"" $1 "\" is \"" str[$1] "\" in " file[$1] " but \"" $2 "\" in " $3; bad++
    }
    !($1 in str) { str[$1] = $2; file[$1] = $3 }
    END { exit bad > 0 }' || fail=$((fail + 1))

while IFS=$'\t' read -r kind text; do
  if [ "$kind" = BAD ]; then echo "FAIL: $text"; fail=$((fail + 1)); fi
done < "$tmp/ids"

# Compare in awk: missing, empty, or a printf msgid without c-format.
awk -F'\t' '
  NR == FNR { if ($1 != "") { str[$1] = $2; fl[$1] = $3; plu[$1] = $4; str1[$1] = $5 } next }
  $1 == "PL" {
    id = $2
    if (!(id in str) || plu[id] == "") { print "FAIL: missing from nl.po: msgid \"" id "\" with msgid_plural \"" $3 "\""; bad++; next }
    if (plu[id] != $3) { print "FAIL: msgid \"" id "\" has msgid_plural \"" plu[id] "\" in nl.po, the source says \"" $3 "\""; bad++; next }
    if (str[id] == "" || str1[id] == "") { print "FAIL: empty msgstr[0] or msgstr[1] in nl.po: msgid \"" id "\""; bad++; next }
    next
  }
  $1 == "ID" {
    id = $2
    if (!(id in str)) { print "FAIL: missing from nl.po: msgid \"" id "\""; bad++; next }
    if (str[id] == "") { print "FAIL: empty msgstr in nl.po: msgid \"" id "\""; bad++; next }
    t = id; gsub(/%%/, "", t)
    if (t ~ /%[-+ #0-9.]*(hh|h|ll|l|z|j|t|L)?[diouxXeEfFgGaAcspn]/ && fl[id] !~ /c-format/) {
      print "FAIL: msgid \"" id "\" has a printf conversion but no \"#, c-format\" in nl.po"; bad++
    }
  }
  END { exit bad > 0 }' "$tmp/po" "$tmp/ids" || fail=$((fail + 1))

found=$(grep -c '^ID\|^PL' "$tmp/ids")
if [ "$found" -lt 10 ]; then
  echo "FAIL: only $found msgids found in the sources; is the extraction broken?"
  fail=$((fail + 1))
fi
if [ "$fail" -ne 0 ]; then
  echo "po_check: $PO is not complete (checked $found msgids)"
  exit 1
fi
echo "po_check: all $found msgids are translated in $PO"
exit 0
