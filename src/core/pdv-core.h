/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-catalog.h"
#include "pdv-checkin.h"
#include "pdv-context.h"
#include "pdv-db.h"
#include "pdv-i18n.h"
#include "pdv-import.h"
#include "pdv-journal.h"
#include "pdv-money.h"
#include "pdv-pix.h"
#include "pdv-qr.h"
#include "pdv-receipt.h"
#include "pdv-sale.h"
#include "pdv-text.h"
#include "pdv-ticket-search.h"
#include "pdv-ticket-token.h"
#include "pdv-users.h"
