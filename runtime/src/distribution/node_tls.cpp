#include "herd/distribution/node_tls.hpp"

#include <cstdlib>
#include <fstream>

#include <caf/actor_system_config.hpp>
#include <caf/openssl/manager.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

void node_tls::apply_to(caf::actor_system_config& cfg) const {
  if (!enabled())
    return;
  // CAF's OpenSSL module would throw on its I/O thread at the first connection: check here.
  for (auto [name, file] : {std::pair<const char*, const std::string*>{"certificate", &certificate},
                            {"key", &key},
                            {"ca_file", &ca_file}}) {
    if (!std::ifstream{*file})
      throw config_error(std::string{"/node/tls/"} + name, "cannot read the file " + *file);
  }
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = certificate;
  cfg.openssl_key = key;
  cfg.openssl_cafile = ca_file;
  if (!passphrase_env.empty()) {
    const char* value = std::getenv(passphrase_env.c_str());
    if (value == nullptr || *value == '\0')
      throw config_error("/node/tls/passphrase_env",
                         "the environment variable " + passphrase_env + " holds no passphrase");
    cfg.openssl_passphrase = value;
  }
}

node_tls node_tls::from_json(const json_reader& in) {
  in.only_keys({"certificate", "key", "ca_file", "passphrase_env"});
  node_tls r;
  r.certificate = in.string("certificate", r.certificate);
  r.key = in.string("key", r.key);
  r.ca_file = in.string("ca_file", r.ca_file);
  r.passphrase_env = in.string("passphrase_env", r.passphrase_env);
  // Mutual TLS or none: CAF's OpenSSL module verifies peers only with all three.
  for (auto [name, value] : {std::pair<const char*, std::string*>{"certificate", &r.certificate},
                             {"key", &r.key},
                             {"ca_file", &r.ca_file}}) {
    if (value->empty())
      in.fail(name, "a PEM file (TLS needs certificate, key and ca_file)");
  }
  return r;
}

nlohmann::json node_tls::to_json() const {
  return {{"certificate", certificate},
          {"key", key},
          {"ca_file", ca_file},
          {"passphrase_env", passphrase_env}};
}

} // namespace herd
