# The body of system.build.wslconstTarballBuilder (nix/nixos-module.nix):
# NixOS-WSL's tarball builder, then this module's files in the image, then
# `wslconst check-image` on the result. A preamble written by nix/lib.nix
# (imageWrapper) sets:
#   builder                 NixOS-WSL's builder (nixos-wsl-tarball-builder)
#   wslconst                the wslconst executable
#   conf_file conf_path conf_mode               the rendered wsl-distribution.conf
#   template_file template_path template_mode   the profile template ("" when none)
#   icon_file icon_path icon_mode               the shortcut icon ("" when none;
#                           icon_file "" takes NixOS-WSL's /etc/nixos.ico from the image)
#   dir_mode                the mode of the folders the files go in
#   image_check             true or false
#   check_args              wslconst check-image arguments (--personal ...)
#   fail_on_warnings        true or false
# The arguments are NixOS-WSL's builder's: [--extra-files PATH] [--chown PATH
# UID:GID] [output]. Kept in a file of its own so that CI, which has no
# nixpkgs, runs exactly this text on a fake image (scripts/nix-image.py).

# The output file, found the way NixOS-WSL's builder finds it.
out="nixos.wsl"
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --extra-files) shift ;;
    --chown) shift; shift ;;
    -*) ;;
    *) out="$1" ;;
  esac
  shift
done

"$builder" "${args[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "[wslconst] Replacing $conf_path${template_path:+, adding $template_path}${icon_path:+ and $icon_path}"
pigz -dc "$out" > "$work/image.tar"
if [ -n "$icon_path" ] && [ -z "$icon_file" ]; then
  # NixOS-WSL's builder puts its icon at /etc/nixos.ico, outside the folders
  # WSL's validator expects; the same bytes go where it expects them.
  icon_file="$work/nixos.ico"
  tar -x -O -f "$work/image.tar" ./etc/nixos.ico > "$icon_file"
fi
tar --delete -f "$work/image.tar" ".$conf_path"
install -D -m "$conf_mode" "$conf_file" "$work/add$conf_path"
members=()
folders=()
add() {
  # A file the image already has there (--extra-files, say) is replaced.
  if tar -t -f "$work/image.tar" ".$2" >/dev/null 2>&1; then
    tar --delete -f "$work/image.tar" ".$2"
  fi
  install -D -m "$3" "$1" "$work/add$2"
  members+=(".$2")
  folders+=(".$(dirname "$2")")
}
if [ -n "$template_path" ]; then add "$template_file" "$template_path" "$template_mode"; fi
if [ -n "$icon_path" ]; then add "$icon_file" "$icon_path" "$icon_mode"; fi
# The folders themselves, with explicit modes, before the files in them (a
# later entry for a folder the image has sets its mode on extraction).
if [ ${#folders[@]} -gt 0 ]; then
  mapfile -t folders < <(printf '%s\n' "${folders[@]}" | sort -u)
  for folder in "${folders[@]}"; do chmod "$dir_mode" "$work/add/$folder"; done
fi
tar -C "$work/add" -r -f "$work/image.tar" --owner=0 --group=0 --numeric-owner --mtime='@1' --no-recursion \
  "${folders[@]}" ".$conf_path" "${members[@]}"
pigz < "$work/image.tar" > "$out"

if [ "$image_check" = true ]; then
  report="$out.check-image.json"
  echo "[wslconst] Checking $out (wslconst check-image; the JSON report goes to $report)"
  status=0
  "$wslconst" check-image "$out" --json "${check_args[@]}" > "$report" || status=$?
  # "warnings" is the report's last key: no comma after it.
  warnings=$(sed -n 's/^  "warnings": \([0-9]*\),\{0,1\}$/\1/p' "$report")
  if [ "$status" -ne 0 ] || { [ "$fail_on_warnings" = true ] && [ "${warnings:-0}" -ne 0 ]; }; then
    "$wslconst" check-image "$out" "${check_args[@]}" || true
    echo "[wslconst] $out does not pass wslconst check-image (see above; wsl.terminal.imageCheck sets what counts)" >&2
    exit 1
  fi
  echo "[wslconst] $out passes wslconst check-image (${warnings:-0} warnings)"
fi
echo "[wslconst] $out is ready"
