// Prints every unit spelling the compiler accepts, one per line, straight from
// snn::units::allUnitSpellings(): the list the editor grammars' unit regexes are tested against
// (tests/editors/vscode_tokens.cjs), so that they cannot drift from the unit table.
#include <cstdio>

#include "compiler/units/unit_table.h"

int main() {
  for (const std::string& spelling : snn::units::allUnitSpellings())
    std::printf("%s\n", spelling.c_str());
  return 0;
}
