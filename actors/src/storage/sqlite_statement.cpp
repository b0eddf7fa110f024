#include "herd/storage/sqlite_statement.hpp"

#include <sqlite3.h>

#include "herd/storage/sqlite_connection.hpp"

namespace herd {

sqlite_statement::sqlite_statement(const sqlite_connection& db, const std::string& sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
    db.fail_sqlite();
}

sqlite_statement::~sqlite_statement() {
  sqlite3_finalize(stmt_);
}

sqlite_statement& sqlite_statement::bind(int i, const std::string& x) {
  sqlite3_bind_text(stmt_, i, x.data(), static_cast<int>(x.size()), SQLITE_TRANSIENT);
  return *this;
}

sqlite_statement& sqlite_statement::bind_static(int i, const std::string& x) {
  sqlite3_bind_text(stmt_, i, x.data(), static_cast<int>(x.size()), SQLITE_STATIC);
  return *this;
}

sqlite_statement& sqlite_statement::bind(int i, int64_t x) {
  sqlite3_bind_int64(stmt_, i, x);
  return *this;
}

sqlite_statement& sqlite_statement::bind(int i, double x) {
  sqlite3_bind_double(stmt_, i, x);
  return *this;
}

bool sqlite_statement::step() {
  auto rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  db_.fail_sqlite();
}

void sqlite_statement::run() {
  while (step()) {
  }
  reset();
}

void sqlite_statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string sqlite_statement::text(int i) {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  return p ? std::string{p, static_cast<size_t>(sqlite3_column_bytes(stmt_, i))} : std::string{};
}

int64_t sqlite_statement::integer(int i) {
  return sqlite3_column_int64(stmt_, i);
}

double sqlite_statement::real(int i) {
  return sqlite3_column_double(stmt_, i);
}

} // namespace herd
