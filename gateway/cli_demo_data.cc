// `pathbridge demo-data`: writes a synthetic district as a OneRoster 1.2 CSV
// bundle (adapters/demo_data/generator.h) for demos and benchmarks.
#include <iostream>

#include <boost/json.hpp>

#include "adapters/demo_data/generator.h"
#include "gateway/cli_util.h"

namespace pathbridge::gateway {
namespace {

struct DemoDataArgs {
  adapters::demo_data::DistrictOptions options;
  std::string output;
  bool zip = false;
};

int DemoData(const DemoDataArgs& a) {
  std::filesystem::path out = a.output;
  if (a.zip && out.extension() != ".zip") out += ".zip";
  auto counts = adapters::demo_data::WriteDistrictBundle(a.options, out);
  if (!counts.ok()) return Fail(counts.status());
  const auto& c = *counts;
  std::cout << boost::json::serialize(boost::json::object{
                   {"output", out.string()},
                   {"records", c.records()},
                   {"orgs", c.orgs},
                   {"academicSessions", c.sessions},
                   {"courses", c.courses},
                   {"classes", c.classes},
                   {"students", c.students},
                   {"teachers", c.teachers},
                   {"guardians", c.guardians},
                   {"roles", c.roles},
                   {"enrollments", c.enrollments},
                   {"categories", c.categories},
                   {"lineItems", c.line_items},
                   {"results", c.results}})
            << "\n";
  return kExitOk;
}

}  // namespace

void AddDemoDataCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<DemoDataArgs>();
  auto* cmd = app.add_subcommand(
      "demo-data", "Write a synthetic school district as a OneRoster 1.2 CSV bundle");
  cmd->add_option("--students", a->options.students, "How many students (about 10 records each)")
      ->required()
      ->check(CLI::Range(uint64_t{1}, uint64_t{100'000'000}));
  cmd->add_option("--seed", a->options.seed, "Random seed: the same seed gives the same bundle")
      ->capture_default_str();
  cmd->add_flag("--messy", a->options.messy,
                "Add real-world defects (stray spaces, missing emails, a vendor column)");
  cmd->add_flag("--zip", a->zip, "Write a .zip (added to OUT if missing) instead of a folder");
  cmd->add_option("output", a->output, "Output folder (must not exist or be empty), or .zip file")
      ->required();
  cmd->callback([a, exit_code] { *exit_code = DemoData(*a); });
}

}  // namespace pathbridge::gateway
