/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-sync-client.h"
#include "pdv-sync-state.h"
#include "pdv-sync-worker.h"
