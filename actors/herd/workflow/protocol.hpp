#pragma once

#include <cstdint>
#include <string>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "herd/core/atoms.hpp"
#include "herd/workflow/workflow_definition.hpp"
#include "herd/workflow/workflow_record.hpp"

/// The workflow driver's protocol: its atoms (CAF 0.17 atoms: at most 10 characters) and typed
/// handle (see workflow_driver.hpp). Errors are `workflow_errc` codes.
namespace herd {

/// Registers (or replaces) a definition: `(wf_register_atom, workflow_definition) -> bool`.
using wf_register_atom = caf::atom_constant<caf::atom("wf_reg")>;
/// Starts a run: `(wf_start_atom, workflow, run_id, input_json) -> workflow_record`; a run id
/// that exists returns that run (resuming it if it is unfinished and idle).
using wf_start_atom = caf::atom_constant<caf::atom("wf_start")>;
/// A run as it stands: `(wf_get_atom, run_id) -> workflow_record`.
using wf_get_atom = caf::atom_constant<caf::atom("wf_get")>;
/// Replies once the run has ended or waits for a person: `(wf_await_atom, run_id) ->
/// workflow_record`.
using wf_await_atom = caf::atom_constant<caf::atom("wf_await")>;
/// Resumes a run: a waiting one with a person's value (JSON text) as the step's result (its
/// escalation is closed with `note`), an idle unfinished one from its next step:
/// `(wf_resume_atom, run_id, value_json, note) -> workflow_record`.
using wf_resume_atom = caf::atom_constant<caf::atom("wf_resume")>;
/// Cancels an unfinished run: `(wf_cancel_atom, run_id, why) -> workflow_record`.
using wf_cancel_atom = caf::atom_constant<caf::atom("wf_cancel")>;
/// Continues every unfinished stored run whose workflow is registered: `(wf_recover_atom) ->
/// int64_t` (how many); runs that do not fit their definition are an error naming them.
using wf_recover_atom = caf::atom_constant<caf::atom("wf_recover")>;
/// Picks up operators' commands and resolved escalations: `(wf_poll_atom)` (its own timer).
using wf_poll_atom = caf::atom_constant<caf::atom("wf_poll")>;
/// What subscribers get once per run when it ends: `(wf_ended_atom, workflow_record)`.
using wf_ended_atom = caf::atom_constant<caf::atom("wf_ended")>;
/// What subscribers get when a run nears a cap: `(wf_warning_atom, run_id, message)`.
using wf_warning_atom = caf::atom_constant<caf::atom("wf_warn")>;

/// The workflow driver's typed handle.
using workflow_driver_actor = caf::typed_actor<
    caf::replies_to<wf_register_atom, workflow_definition>::with<bool>,
    caf::replies_to<wf_start_atom, std::string, std::string, std::string>::with<workflow_record>,
    caf::replies_to<wf_get_atom, std::string>::with<workflow_record>,
    caf::replies_to<wf_await_atom, std::string>::with<workflow_record>,
    caf::replies_to<wf_resume_atom, std::string, std::string, std::string>::with<workflow_record>,
    caf::replies_to<wf_cancel_atom, std::string, std::string>::with<workflow_record>,
    caf::replies_to<wf_recover_atom>::with<int64_t>, caf::reacts_to<wf_poll_atom>,
    caf::reacts_to<subscribe_atom, caf::actor>>;

} // namespace herd
