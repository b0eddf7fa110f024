#include "herd/journal/journal_record.hpp"

namespace herd {

journal_record journal_record::accepted_task(task t, duration offset, int64_t at_ms) {
  journal_record x;
  x.what = type::accepted;
  x.work = std::move(t);
  x.wall_offset = offset;
  x.at_ms = at_ms;
  return x;
}

journal_record journal_record::failed_attempt(std::string id, attempt_record a, duration offset,
                                              int64_t at_ms) {
  journal_record x;
  x.what = type::attempt_failed;
  x.task_id = std::move(id);
  x.attempt = std::move(a);
  x.wall_offset = offset;
  x.at_ms = at_ms;
  return x;
}

journal_record journal_record::settled_task(outcome result, int64_t at_ms) {
  journal_record x;
  x.what = type::settled;
  x.result = std::move(result);
  x.at_ms = at_ms;
  return x;
}

} // namespace herd
