#include "herd/storage/sqlite_connection.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <sqlite3.h>

#include "herd/dead_letters/store_error.hpp"
#include "herd/storage/sqlite_statement.hpp"

namespace herd {

namespace {

/// The first bytes of every SQLite 3 database file.
constexpr char sqlite_header[] = "SQLite format 3";

} // namespace

std::string sqlite_uri_path(const std::string& path) {
  static const char hex[] = "0123456789ABCDEF";
  std::string result;
  for (auto c : path) {
    if (c == '%' || c == '?' || c == '#') {
      auto byte = static_cast<unsigned char>(c);
      result += {'%', hex[byte >> 4], hex[byte & 15]};
    } else {
      result += c;
    }
  }
  return result;
}

sqlite_connection::sqlite_connection(std::string file) : file_(std::move(file)) {
  // nop
}

sqlite_connection::~sqlite_connection() {
  close();
}

void sqlite_connection::close() {
  sqlite3_close_v2(db_);
  db_ = nullptr;
}

void sqlite_connection::open_as(const std::string& name, int flags) {
  close();
  if (sqlite3_open_v2(name.c_str(), &db_, flags, nullptr) != SQLITE_OK)
    fail(std::string{"cannot open: "} + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
  sqlite3_extended_result_codes(db_, 1);
  // Another connection (the service, a `herd` command) may hold the write lock briefly.
  sqlite3_busy_timeout(db_, 5000);
}

/// Refuses, before SQLite reads it, a file that is not an SQLite database or is cut short.
static void check_header(const sqlite_connection& db) {
  auto& file = db.file();
  std::ifstream in{file, std::ios::binary};
  char header[100] = {};
  in.read(header, sizeof(header));
  auto got = static_cast<size_t>(in.gcount());
  if (got == 0)
    return; // empty: SQLite makes a database of it (or it is refused as fresh)
  auto prefix = std::min(got, sizeof(sqlite_header));
  if (std::memcmp(header, sqlite_header, prefix) != 0)
    db.fail("not a herd database (not an SQLite file); nothing was changed");
  if (got < sizeof(header))
    db.fail("corrupt: truncated to " + std::to_string(got) +
            " bytes, shorter than a database header; nothing was changed");
  auto byte = [&header](size_t i) {
    return static_cast<uint64_t>(static_cast<uint8_t>(header[i]));
  };
  auto big_endian = [&byte](size_t at, size_t n) {
    uint64_t result = 0;
    for (size_t i = 0; i < n; ++i)
      result = result << 8 | byte(at + i);
    return result;
  };
  auto page_size = big_endian(16, 2) == 1 ? uint64_t{65536} : big_endian(16, 2);
  auto pages = big_endian(28, 4);
  // The page count in the header is valid when its change counter matches (SQLite >= 3.7.0).
  bool count_valid = big_endian(24, 4) == big_endian(92, 4);
  // A live writer may be checkpointing its WAL into the file; only a quiet file is measured.
  std::error_code ec;
  auto wal_size = std::filesystem::file_size(file + "-wal", ec);
  bool quiet = ec || wal_size == 0;
  auto size = std::filesystem::file_size(file, ec);
  if (!ec && quiet && count_valid && pages > 0 && size < pages * page_size)
    db.fail("corrupt: truncated to " + std::to_string(size) + " bytes of the " +
            std::to_string(pages * page_size) + " its header counts; nothing was changed");
}

sqlite_connection::probe sqlite_connection::open(bool read_only, bool create) {
  std::error_code ec;
  bool exists = std::filesystem::exists(file_, ec);
  if (!exists && !create)
    fail("no such database file");
  if (exists && std::filesystem::is_directory(file_, ec))
    fail("is a directory, not a database file");
  if (exists)
    check_header(*this);
  // One owner per connection, so SQLite's own connection mutex is not needed.
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX |
              (create ? SQLITE_OPEN_CREATE : 0);
  open_as(file_, flags);
  probe found;
  auto read_probe = [&] {
    sqlite_statement id{*this, "PRAGMA application_id"};
    if (id.step())
      found.application_id = id.integer(0);
    sqlite_statement count{*this, "SELECT COUNT(*) FROM sqlite_master"};
    if (count.step())
      found.objects = count.integer(0);
  };
  try {
    read_probe();
  } catch (const store_error&) {
    // A reader in a read-only directory cannot create the WAL index: read the file as it is.
    auto code = error_code();
    if (!read_only || (code != SQLITE_CANTOPEN && code != SQLITE_READONLY))
      throw;
    open_as("file:" + sqlite_uri_path(file_) + "?immutable=1", flags | SQLITE_OPEN_URI);
    read_probe();
  }
  found.fresh = found.application_id == 0 && found.objects == 0;
  if (!found.fresh && found.application_id != herd_application_id)
    fail("not a herd database (application_id " + std::to_string(found.application_id) + ", " +
         std::to_string(found.objects) + " schema objects); nothing was changed");
  return found;
}

void sqlite_connection::use_wal(const std::string& synchronous, bool fresh) {
  {
    sqlite_statement wal{*this, "PRAGMA journal_mode=WAL"};
    if (!wal.step() || wal.text(0) != "wal")
      fail("cannot switch to WAL mode");
  }
  exec("PRAGMA synchronous=" + synchronous);
  if (fresh)
    exec("PRAGMA application_id = " + std::to_string(herd_application_id));
}

void sqlite_connection::exec(const std::string& sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string problem = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    fail(problem);
  }
}

void sqlite_connection::rollback() const {
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

int64_t sqlite_connection::changes() const {
  return sqlite3_changes(db_);
}

int64_t sqlite_connection::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

void sqlite_connection::fail(const std::string& problem) const {
  throw store_error(file_, problem);
}

void sqlite_connection::fail_sqlite() const {
  std::string message = sqlite3_errmsg(db_);
  auto code = error_code();
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    fail("corrupt (" + message +
         "); restore it from a backup or salvage it with sqlite3's .recover");
  fail(message);
}

int sqlite_connection::error_code() const {
  return sqlite3_errcode(db_) & 0xff;
}

std::string sqlite_connection::integrity_check() const {
  sqlite_statement check{*this, "PRAGMA integrity_check"};
  std::string result;
  while (check.step())
    result += (result.empty() ? "" : "\n") + check.text(0);
  return result;
}

int sqlite_connection::user_version() const {
  sqlite_statement version{*this, "PRAGMA user_version"};
  return version.step() ? static_cast<int>(version.integer(0)) : 0;
}

void sqlite_connection::migrate(const char* const* migrations, int from, int to,
                                const std::string& what, const std::function<int()>& recorded,
                                const std::function<void(int)>& record) const {
  for (int version = from; version < to; ++version) {
    exec("BEGIN IMMEDIATE");
    try {
      if ((recorded ? recorded() : user_version()) > version) {
        exec("COMMIT");
        continue;
      }
      exec(migrations[version]);
      if (record)
        record(version + 1);
      else
        exec("PRAGMA user_version = " + std::to_string(version + 1));
      exec("COMMIT");
    } catch (const store_error& e) {
      rollback();
      fail("migration of " + what + " to version " + std::to_string(version + 1) +
           " failed: " + e.problem());
    }
  }
}

} // namespace herd
