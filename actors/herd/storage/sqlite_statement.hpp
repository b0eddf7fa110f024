#pragma once

#include <cstdint>
#include <string>

struct sqlite3_stmt;

namespace herd {

class sqlite_connection;

/// A prepared statement on a `sqlite_connection`; failures throw its `store_error`.
class sqlite_statement {
public:
  /// Prepares `sql` on `db`, which must outlive the statement.
  sqlite_statement(const sqlite_connection& db, const std::string& sql);
  /// Finalizes the statement.
  ~sqlite_statement();
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;

  /// Binds text to parameter `i` (1-based), copied.
  sqlite_statement& bind(int i, const std::string& x);
  /// Binds text that stays alive and unchanged until the statement has run (no copy).
  sqlite_statement& bind_static(int i, const std::string& x);
  /// Binds an integer to parameter `i`.
  sqlite_statement& bind(int i, int64_t x);
  /// Binds a number to parameter `i`.
  sqlite_statement& bind(int i, double x);

  /// Steps once; true if a row is ready.
  bool step();
  /// Steps to the end and resets for the next use.
  void run();
  /// Resets and clears the bindings.
  void reset();

  /// Column `i` of the current row as text ("" for NULL).
  std::string text(int i);
  /// Column `i` of the current row as an integer.
  int64_t integer(int i);
  /// Column `i` of the current row as a number.
  double real(int i);

private:
  const sqlite_connection& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

} // namespace herd
