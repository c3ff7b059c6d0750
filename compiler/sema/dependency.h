// Definition order for things defined in terms of each other: parameters that use parameters,
// sub-expressions that use sub-expressions, state initial values, lets. Each is checked in
// dependency order, so when a definition is checked, everything it uses already has a type
// and a value; a cycle is reported once, naming its members, and every member of it is marked
// so that checks involving them stay silent instead of cascading.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/sema/reporter.h"

namespace snn::sema {

class DependencyGraph {
 public:
  std::size_t addNode(std::string name);
  // `from` uses `to`, at `use` (where a cycle through this edge is reported).
  void addEdge(std::size_t from, std::size_t to, SourceRange use);

  // A topological order (every node after the nodes it uses). Each cycle is reported as
  // RecursiveDefinition at the use that closes it; nodes on a cycle get on_cycle[k] = true.
  std::vector<std::size_t> order(Reporter& diags, std::vector<bool>& on_cycle) const;

  std::size_t size() const { return names_.size(); }

 private:
  struct Edge {
    std::size_t to;
    SourceRange use;
  };
  std::vector<std::string> names_;
  std::vector<std::vector<Edge>> edges_;
};

}  // namespace snn::sema
