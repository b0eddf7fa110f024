#pragma once

#include <string_view>

namespace herd {

/// The live dashboard the ops endpoint serves at GET /: one self-contained HTML page (CSS and
/// JavaScript inline, nothing fetched from elsewhere) that polls /api/state every second. Its
/// source is runtime/dashboard/index.html, embedded at build time.
std::string_view dashboard_page();

} // namespace herd
