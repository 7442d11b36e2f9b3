/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-api-openapi.h: the OpenAPI 3.1 description of the REST and WebSocket routes, built from the route table. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every route of syn_api_routes and syn_api_ws_routes (the WebSocket
 * messages in each WebSocket operation's "x-websocket"), the domain types
 * under components/schemas, the error shape, bearer tokens. */
JsonNode *syn_api_openapi_document (void);

G_END_DECLS
