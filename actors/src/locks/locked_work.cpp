#include "herd/locks/locked_work.hpp"

#include <exception>
#include <memory>

#include <caf/actor_system.hpp>

namespace herd {

void locked_work::run(caf::event_based_actor* self, const lock_manager_actor& locks,
                      lock_request request, work_fn work, std::function<void(outcome)> then) {
  if (!locks) {
    then(outcome::fail(failure::unavailable("no lock manager for lock " + request.name)
                           .because("lock_manager_stopped")));
    return;
  }
  auto name = request.name;
  self->request(locks, caf::infinite, lock_acquire_atom::value, std::move(request))
      .then(
          [self, locks, name, work = std::move(work), then](lock_reply& acquired) {
            if (!acquired.ok) {
              then(outcome::fail(std::move(acquired.error)));
              return;
            }
            auto finished = std::make_shared<bool>(false);
            auto token = acquired.grant.token;
            auto done = [self, locks, name, token, then, finished](outcome result) {
              if (*finished)
                return;
              *finished = true;
              self->request(locks, caf::infinite, lock_release_atom::value, name, token)
                  .then(
                      [then, result](lock_reply& released) mutable {
                        if (!released.ok && result.ok())
                          result = outcome::fail(std::move(released.error));
                        then(std::move(result));
                      },
                      [then, result](caf::error&) { then(result); });
            };
            try {
              work(acquired.grant, done);
            } catch (const std::exception& e) {
              done(outcome::fail(
                  failure::unknown(std::string{"exception under lock "} + name + ": " + e.what())));
            } catch (...) {
              done(outcome::fail(failure::unknown("exception under lock " + name)));
            }
          },
          [self, name, then](caf::error& err) {
            then(outcome::fail(failure::unavailable("lock manager failed on lock " + name + ": " +
                                                    self->system().render(err))
                                   .because("lock_manager_stopped")));
          });
}

} // namespace herd
