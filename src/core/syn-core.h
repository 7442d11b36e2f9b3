/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-core.h: the domain types, in one include. */
#pragma once

#include "syn-asset.h"
#include "syn-cable.h"
#include "syn-edge.h"
#include "syn-event.h"
#include "syn-execution.h"
#include "syn-finding.h"
#include "syn-json.h"
#include "syn-live-message.h"
#include "syn-project.h"
#include "syn-rule.h"
#include "syn-snapshot.h"
#include "syn-time.h"
#include "syn-user.h"
#include "syn-vocabulary.h"
