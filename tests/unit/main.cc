// The one main() of the unit-test binary (Catch2 2.x).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
