#pragma once

/// Durable workflows (see docs/workflows.md): named steps, each a task kind with its own failure
/// policy, each step's result committed before the next runs, resumed after a crash from the
/// last finished step.
#include "herd/workflow/protocol.hpp"
#include "herd/workflow/step_record.hpp"
#include "herd/workflow/workflow_action.hpp"
#include "herd/workflow/workflow_command.hpp"
#include "herd/workflow/workflow_config.hpp"
#include "herd/workflow/workflow_definition.hpp"
#include "herd/workflow/workflow_driver.hpp"
#include "herd/workflow/workflow_errc.hpp"
#include "herd/workflow/workflow_peers.hpp"
#include "herd/workflow/workflow_record.hpp"
#include "herd/workflow/workflow_run.hpp"
#include "herd/workflow/workflow_status.hpp"
#include "herd/workflow/workflow_step.hpp"
#include "herd/workflow/workflow_store.hpp"
