// The registry of formats the CLI and the gateway discover adapters through.
// Adding a format is one folder (adapters/<format>/) and one line in
// registry.cc's list of built-in adapters. The list is explicit rather than
// self-registering through static initializers, which a static library's
// linker would silently drop.
//
// Thread-safety: the registry is built once, on first use, and read-only
// afterwards.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "adapters/adapter.h"

namespace pathbridge::adapters {

// Every built-in adapter, sorted by name.
const std::vector<const Adapter*>& AllAdapters();
// The adapter named `name`, or kNotFound listing the known names.
pathbridge::Result<const Adapter*> FindAdapter(std::string_view name);

// An adapter as `pathbridge formats --json` and GET /formats describe it:
// {"name","description","media_types":[...],"reads":{type:[path...]},
//  "writes":{...}}: the field paths its decoder fills in and its encoder
// writes, by record type.
boost::json::object FormatJson(const Adapter& adapter);

// Each format folder defines its factory, declared here for registry.cc.
std::unique_ptr<Adapter> MakeOneRosterCsvAdapter();
std::unique_ptr<Adapter> MakeEdFiJsonAdapter();
std::unique_ptr<Adapter> MakeOneRosterJsonAdapter();
std::unique_ptr<Adapter> MakeSifXmlAdapter();
std::unique_ptr<Adapter> MakeEdFiXmlAdapter();
std::unique_ptr<Adapter> MakePescCollegeXmlAdapter();
std::unique_ptr<Adapter> MakePescHsXmlAdapter();
std::unique_ptr<Adapter> MakeCtdlAdapter();
std::unique_ptr<Adapter> MakeLerRsAdapter();
std::unique_ptr<Adapter> MakeOb3Adapter();
std::unique_ptr<Adapter> MakeClr2Adapter();

}  // namespace pathbridge::adapters
