#pragma once

// A dead-letter database for the fuzz targets that read rows: one file per process in the temp
// directory, opened once by herd's store, and a second connection that writes raw rows into it
// the way an older herd, a crash or a person with the sqlite3 shell could have left them.

#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/storage/sqlite_connection.hpp"

namespace herd::fuzz {

/// The store under test and the raw writer, created on first use.
struct fuzz_store {
  /// The database file.
  std::string file;
  /// herd's store on `file`.
  std::unique_ptr<dead_letter_store> store;
  /// A plain connection for raw rows.
  std::unique_ptr<sqlite_connection> raw;

  /// The process's store.
  static fuzz_store& instance() {
    static fuzz_store self = [] {
      fuzz_store x;
      auto dir = std::filesystem::exists("/dev/shm") ? std::filesystem::path{"/dev/shm"}
                                                     : std::filesystem::temp_directory_path();
      x.file = (dir / ("herd_fuzz_" + std::to_string(getpid()) + ".db")).string();
      for (auto suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(x.file + suffix);
      x.store =
          std::make_unique<dead_letter_store>(x.file, dead_letter_store::open_mode::create,
                                              dead_letter_store::latest_schema_version, "normal");
      x.raw = std::make_unique<sqlite_connection>(x.file);
      x.raw->open(false, false);
      x.raw->exec("PRAGMA synchronous = OFF");
      return x;
    }();
    return self;
  }
};

} // namespace herd::fuzz
