#!/bin/sh
# Builds the libFuzzer harnesses of src/http/parse.c, src/http/multipart.c,
# the PDF checker of uploads (src/content/pdf.c), the logos of business
# profiles (src/content/image.c: PNG, JPEG, GIF) and the directory's search
# parameters (src/domain/directory.c), the offers file's lines and the
# customers' tenant domains (src/domain/eligibility.c).
# Usage: tests/fuzz/build.sh OUTDIR
set -eu
if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-clang}
mkdir -p "$out"
for h in fuzz_query fuzz_urlencoded fuzz_cookie fuzz_multipart; do
	echo "building $out/$h"
	"$CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-D_GNU_SOURCE -I "$top/src" \
		"$top/src/core/arena.c" "$top/src/http/parse.c" \
		"$top/src/http/multipart.c" "$top/tests/fuzz/$h.c" \
		-o "$out/$h"
done
echo "building $out/fuzz_pdf"
"$CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -I "$top/src" \
	"$top/src/content/pdf.c" "$top/src/content/pdf_lex.c" "$top/tests/fuzz/fuzz_pdf.c" \
	-lz -o "$out/fuzz_pdf"
echo "building $out/fuzz_logo"
"$CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -I "$top/src" \
	"$top/src/content/image.c" "$top/tests/fuzz/fuzz_logo.c" \
	-lpng -ljpeg -lgif -lz -o "$out/fuzz_logo"
echo "building $out/fuzz_directory"
"$CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -I "$top/src" \
	"$top/src/domain/directory.c" "$top/src/domain/profile_content.c" \
	"$top/src/domain/profile_lists.c" "$top/src/domain/profile_names.c" \
	"$top/tests/fuzz/fuzz_directory.c" -o "$out/fuzz_directory"
echo "building $out/fuzz_offers"
"$CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -I "$top/src" \
	"$top/src/domain/eligibility.c" "$top/src/domain/profiles.c" "$top/src/domain/roles.c" \
	"$top/tests/fuzz/fuzz_offers.c" -o "$out/fuzz_offers"
