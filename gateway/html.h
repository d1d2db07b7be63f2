// Text into HTML: the gateway's pages (the /verify page) show text from
// credentials anyone can write, so every piece goes through HtmlEscape.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace pathbridge::gateway {

// `text` safe inside an element or a quoted attribute value: & < > " ' as
// character references, and control characters other than tab, line feed
// and carriage return dropped (they have no place in a page).
std::string HtmlEscape(std::string_view text);

}  // namespace pathbridge::gateway
