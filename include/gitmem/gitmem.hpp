// Umbrella header for the gitmem C++ API.
#pragma once

#include "gitmem/embedder.hpp"
#include "gitmem/history.hpp"
#include "gitmem/maintenance.hpp"
#include "gitmem/memory.hpp"
#include "gitmem/merge.hpp"
#include "gitmem/options.hpp"
#include "gitmem/repository.hpp"
#include "gitmem/search.hpp"
#include "gitmem/status.hpp"
#include "gitmem/transfer.hpp"
