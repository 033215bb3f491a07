// Umbrella header for the gitmem C++ API.
#pragma once

#include "gitmem/memory.hpp"
#include "gitmem/repository.hpp"
#include "gitmem/status.hpp"
