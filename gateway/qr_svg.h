// A QR code as inline SVG markup, for the /verify page's result link (a
// phone scans it to open the same check). libqrencode makes the symbol
// (byte mode, error correction level L: the most text, up to 2953 bytes);
// the SVG is one path of dark modules in a 4-module quiet zone, with no
// script, style or outside reference, so the page's CSP needs nothing more.
//
// Thread-safety: pure (libqrencode is built thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pathbridge::gateway {

// `<svg ...>...</svg>` with viewBox "0 0 N N" (N = modules + 8) and
// `label` (escaped) as its accessible name; nullopt if `text` is too long
// for a QR code, or empty.
std::optional<std::string> QrSvg(std::string_view text, std::string_view label);

}  // namespace pathbridge::gateway
