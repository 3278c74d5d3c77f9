# usage: warm_equals_cold.sh WORK_DIR MODEL.xml
# Runs MODEL cold into a fresh cache directory, then warm from it; fails unless
# the cold run stored exactly one blob, the warm run left that blob in place
# (same inode: a store renames a new file over it) and wrote no other, and
# both runs' outputs are byte-identical. Inputs come from the default seed,
# so both runs see the same data.
set -euo pipefail
work=$1
model=$2
name=$(basename "$model" .xml)
dir=$work/$name
rm -rf "$dir"
mkdir -p "$dir"

ovcc-run "$model" --cache-dir "$dir/cache" --output-dir "$dir/cold" >/dev/null
blobs=("$dir"/cache/*.ovccblob)
if [ "${#blobs[@]}" -ne 1 ] || [ ! -f "${blobs[0]}" ]; then
  echo "$name: the cold run stored ${#blobs[@]} blobs, expected 1" >&2
  ovcc cache list "$dir/cache" >&2 || true
  exit 1
fi
inode=$(stat -c %i "${blobs[0]}")

ovcc-run "$model" --cache-dir "$dir/cache" --output-dir "$dir/warm" >/dev/null
ovcc cache list "$dir/cache" | grep -q "^1 files" || {
  echo "$name: the warm run changed the number of blobs" >&2
  ovcc cache list "$dir/cache" >&2
  exit 1
}
if [ "$(stat -c %i "${blobs[0]}")" != "$inode" ]; then
  echo "$name: the warm run rewrote the blob (it compiled instead of loading)" >&2
  exit 1
fi

n=0
for cold in "$dir"/cold/output*.npy; do
  warm=$dir/warm/$(basename "$cold")
  cmp "$cold" "$warm" || { echo "$name: $(basename "$cold") differs warm vs cold" >&2; exit 1; }
  n=$((n + 1))
done
if [ "$n" -eq 0 ]; then
  echo "$name: no outputs written" >&2
  exit 1
fi
echo "$name: $n outputs identical warm and cold"
