#include "gateway/qr_svg.h"

#include <qrencode.h>

#include <memory>

#include "gateway/html.h"

namespace pathbridge::gateway {
namespace {

constexpr int kQuietZone = 4;

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

std::optional<std::string> QrSvg(std::string_view text, std::string_view label) {
  if (text.empty()) return std::nullopt;
  std::unique_ptr<QRcode, QrFree> code(QRcode_encodeData(
      static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_L));
  if (!code) return std::nullopt;  // too long (or out of memory)
  const int width = code->width, size = width + 2 * kQuietZone;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width;) {
      if (!(code->data[y * width + x] & 1)) {
        ++x;
        continue;
      }
      int run = 1;  // dark modules side by side make one rectangle
      while (x + run < width && (code->data[y * width + x + run] & 1)) ++run;
      path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  std::string n = std::to_string(size);
  return "<svg class=\"qr\" viewBox=\"0 0 " + n + " " + n + "\" role=\"img\" aria-label=\"" +
         HtmlEscape(label) + "\" shape-rendering=\"crispEdges\"><rect width=\"" + n + "\" height=\"" + n +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace pathbridge::gateway
