#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace caf {
class actor_system_config;
}

namespace herd {

class json_reader;

/// Mutual TLS between the nodes of a fleet, through CAF's OpenSSL module (Debian's
/// libcaf-openssl): every node presents its certificate and accepts only peers whose
/// certificate its CA file vouches for. Off unless configured; then every node of the fleet
/// needs it (a plain node cannot talk to a TLS one).
///
/// JSON form (`"node": {"tls": {...}}`; relative paths are beside the config file):
/// {"certificate": "node.pem", "key": "node.key", "ca_file": "fleet-ca.pem",
///  "passphrase_env": ""}
struct node_tls {
  /// The node's certificate chain (PEM). Default: empty (TLS off).
  std::string certificate;
  /// The certificate's private key (PEM). Default: empty.
  std::string key;
  /// The CA certificates (PEM) a peer's certificate must chain to. Default: empty.
  std::string ca_file;
  /// The environment variable holding the key's passphrase; empty for an unencrypted key. The
  /// passphrase is never stored in the config, logged or shown. Default: empty.
  std::string passphrase_env;

  /// True if TLS is configured.
  bool enabled() const { return !certificate.empty(); }
  /// Loads CAF's OpenSSL module into `cfg` and gives it the files (and the passphrase from
  /// `passphrase_env`), when enabled; does nothing otherwise. Throws `config_error` at
  /// /node/tls/<field> for a file it cannot read or an unset passphrase variable.
  void apply_to(caf::actor_system_config& cfg) const;
  /// Reads the `"tls"` object (certificate, key and ca_file are all required in it); throws
  /// `config_error` naming the JSON path of a bad field.
  static node_tls from_json(const json_reader& in);
  /// The JSON form (the passphrase's variable name, never its value).
  nlohmann::json to_json() const;
};

} // namespace herd
