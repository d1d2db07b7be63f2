// `pathbridge clients ...`: add, list, disable — the OAuth clients of a hub
// (gateway/auth/client_store.h). `add` prints the client secret once, on
// standard output as JSON, with a reminder and a curl line on standard
// error; it is stored only as an Argon2id hash and cannot be shown again.
#include <iostream>

#include <boost/json.hpp>

#include "gateway/auth/client_store.h"
#include "gateway/cli_util.h"

namespace pathbridge::gateway {
namespace {

namespace json = boost::json;

struct ClientsArgs {
  std::string data = "./var";
  std::string org;
  std::string scopes;
  std::string cert_thumbprint;
  std::string client_id;
  std::string url = "http://127.0.0.1:8080";
};

json::object ClientJson(const auth::Client& c) {
  json::object o{{"client_id", c.client_id},
                 {"org", c.org},
                 {"scopes", auth::FormatScopes(c.scopes)},
                 {"created", FormatRfc3339(c.created)}};
  if (c.cert_thumbprint) o["cert_thumbprint"] = *c.cert_thumbprint;
  if (c.disabled) o["disabled"] = FormatRfc3339(*c.disabled);
  return o;
}

int Print(const json::value& v) {
  std::cout << json::serialize(v) << "\n" << std::flush;
  return kExitOk;
}

// org.json and the clients keep times to the second.
Timestamp NowToTheSecond() { return {Now().seconds, 0}; }

int WithStore(const ClientsArgs& a, const std::function<int(auth::ClientStore&)>& body) {
  auto store = auth::ClientStore::Open(a.data);
  return store.ok() ? body(**store) : Fail(store.status());
}

int Add(const ClientsArgs& a) {
  auto scopes = auth::ParseScopeCsv(a.scopes);
  if (!scopes.ok()) return Fail(scopes.status().WithContext("--scopes"));
  auth::ClientSpec spec{a.org, *scopes, std::nullopt};
  if (!a.cert_thumbprint.empty()) spec.cert_thumbprint = a.cert_thumbprint;
  return WithStore(a, [&](auth::ClientStore& store) -> int {
    auto added = store.Add(spec, NowToTheSecond());
    if (!added.ok()) return Fail(added.status());
    json::object out = ClientJson(added->client);
    out["client_secret"] = added->client_secret;
    Print(out);
    std::cerr << "Keep the client_secret now: it is stored only as a hash and cannot be shown "
                 "again.\nGet a token:\n  curl -s -u '"
              << added->client.client_id << ":" << added->client_secret
              << "' -d grant_type=client_credentials " << a.url << "/oauth/token\n";
    return kExitOk;
  });
}

int List(const ClientsArgs& a) {
  return WithStore(a, [](auth::ClientStore& store) -> int {
    auto clients = store.List();
    if (!clients.ok()) return Fail(clients.status());
    json::array out;
    for (const auto& c : *clients) out.push_back(ClientJson(c));
    return Print(out);
  });
}

int Disable(const ClientsArgs& a) {
  return WithStore(a, [&](auth::ClientStore& store) {
    auto c = store.Disable(a.client_id, NowToTheSecond());
    return c.ok() ? Print(ClientJson(*c)) : Fail(c.status());
  });
}

}  // namespace

void AddClientsCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ClientsArgs>();
  CLI::App* clients =
      app.add_subcommand("clients", "OAuth clients: who may get access tokens, for which scopes");
  clients->require_subcommand(1);
  auto add_data = [&](CLI::App* cmd) {
    cmd->add_option("--data", a->data, "Data directory (clients are in DIR/clients.db)")
        ->capture_default_str();
  };

  auto* add = clients->add_subcommand(
      "add", "Register a client; prints its client_id and client_secret (shown once) as JSON");
  add->add_option("--org", a->org, "Organization the client acts for (see pathbridge org list)")
      ->required();
  add->add_option("--scopes", a->scopes,
                  "Comma-separated scopes: translate, credentials:issue, credentials:status, "
                  "ledger:append, admin")
      ->required();
  add->add_option("--cert-thumbprint", a->cert_thumbprint,
                  "Bind the client to a TLS client certificate: its x5t#S256 thumbprint "
                  "(base64url SHA-256 of the DER)");
  add->add_option("--url", a->url, "The gateway's base URL, for the curl line printed")
      ->capture_default_str();
  add_data(add);
  add->callback([a, exit_code] { *exit_code = Add(*a); });

  auto* list = clients->add_subcommand("list", "List the clients as JSON (never their secrets)");
  add_data(list);
  list->callback([a, exit_code] { *exit_code = List(*a); });

  auto* disable = clients->add_subcommand(
      "disable", "Disable a client: no new tokens (tokens already issued run out)");
  disable->add_option("client_id", a->client_id, "The client's id")->required();
  add_data(disable);
  disable->callback([a, exit_code] { *exit_code = Disable(*a); });
}

}  // namespace pathbridge::gateway
