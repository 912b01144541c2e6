#!/bin/sh
# Every translatable string of the sources is translated in every language of
# po/LINGUAS, and no translation is fuzzy or broken.
set -eu
src="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"

# Every file with translatable strings must be listed in POTFILES.in.
missing=0
for f in $(grep -rlE '(\b_|\bN_|ngettext|g_dngettext)\s*\(|translatable="yes"' src ui 2>/dev/null | sort); do
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "not in po/POTFILES.in: $f"
    missing=1
  fi
done
[ "$missing" -eq 0 ] || exit 1

xgettext --files-from=po/POTFILES.in --directory="$src" --output="$tmp/pdv.pot" \
  --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --package-name=pdv 2>"$tmp/xgettext.log" || { cat "$tmp/xgettext.log"; exit 1; }

# A format macro such as G_GINT64_FORMAT cuts a message short in the template,
# and the cut message is never found at run time: use %lld with a cast.
if grep -nE '^msgid(_plural)? ".*[^%]%"$' "$tmp/pdv.pot"; then
  echo "messages cut short by a format macro (see above)"
  exit 1
fi

status=0
for lang in $(grep -v '^#' po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/pdv.pot" -o "$tmp/$lang.po"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  echo "$lang: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*) status=1
      msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -A1 '^msgid' | head -40 ;;
  esac
done
exit $status
