#!/usr/bin/env bash
# Installs the Debian packages the tests use, where they are missing: Chromium (browser tests),
# GDAL (the independent reader of our exports), poppler (PDF pages to PNG), a CJK font
# (Chinese in screenshots and PDFs), openpyxl (the independent writer and reader of workbooks) and GRASS GIS
# (r.cost, the independent cost-distance the terrain model is checked against). Needs root or sudo; does nothing when all are present.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v ogr2ogr >/dev/null 2>&1 || need+=(gdal-bin)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || need+=(python3-openpyxl)
command -v grass >/dev/null 2>&1 || need+=(grass-core)
if ! { command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi 'Noto Sans CJK'; }; then need+=(fonts-noto-cjk); fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
