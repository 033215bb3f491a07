// Umbrella header for the gitmem C++ API.
#pragma once

#include "gitmem/memory.hpp"
#include "gitmem/merge.hpp"
#include "gitmem/repository.hpp"
#include "gitmem/search.hpp"
#include "gitmem/status.hpp"
