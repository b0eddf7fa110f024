#include "shutdown_reaper.hpp"

#include <caf/exit_reason.hpp>
#include <caf/response_promise.hpp>

#include "herd/core/atoms.hpp"

namespace herd {

namespace {

/// The reaper's timer: the stop time is up (kill the rest), then the kill time is up (report).
enum class reaper_phase : uint64_t { kill = 1, report = 2 };

} // namespace

caf::behavior shutdown_reaper(caf::event_based_actor* self, std::vector<stop_target> targets,
                              std::shared_ptr<stop_roster> roster, duration stop_timeout) {
  auto promise = std::make_shared<caf::response_promise>();
  auto finish = [self, promise] {
    if (promise->pending())
      promise->deliver(caf::ok_atom::value);
    self->quit();
  };
  self->set_down_handler([roster, finish](caf::down_msg& dm) {
    if (roster->down(dm.source.id()))
      finish();
  });
  return {
      [=](reap_atom) -> caf::result<caf::ok_atom> {
        for (auto& t : targets)
          if (t.handle)
            roster->add(t.handle.id(), t.name);
        if (roster->size() == 0) {
          self->quit();
          return caf::ok_atom::value;
        }
        *promise = self->make_response_promise();
        for (auto& t : targets) {
          if (!t.handle)
            continue;
          self->monitor(t.handle);
          if (t.send_exit)
            self->send_exit(t.handle, caf::exit_reason::user_shutdown);
        }
        self->delayed_send(self, stop_timeout, tick_atom::value,
                           static_cast<uint64_t>(reaper_phase::kill));
        return *promise;
      },
      [=](tick_atom, uint64_t phase) {
        if (phase != static_cast<uint64_t>(reaper_phase::kill)) {
          finish();
          return;
        }
        for (auto id : roster->escalate())
          for (auto& t : targets)
            if (t.handle && t.handle.id() == id)
              self->send_exit(t.handle, caf::exit_reason::kill);
        self->delayed_send(self, stop_timeout, tick_atom::value,
                           static_cast<uint64_t>(reaper_phase::report));
      },
  };
}

} // namespace herd
