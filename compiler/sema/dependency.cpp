// Depth-first topological sort with cycle reporting; see dependency.h. Iterative, so that a
// generated model with a chain of thousands of definitions cannot overflow the stack.
#include "compiler/sema/dependency.h"

namespace snn::sema {

std::size_t DependencyGraph::addNode(std::string name) {
  names_.push_back(std::move(name));
  edges_.emplace_back();
  return names_.size() - 1;
}

void DependencyGraph::addEdge(std::size_t from, std::size_t to, SourceRange use) {
  edges_[from].push_back({to, use});
}

std::vector<std::size_t> DependencyGraph::order(Reporter& diags,
                                                std::vector<bool>& on_cycle) const {
  enum class Colour : unsigned char { White, Grey, Black };
  const std::size_t n = names_.size();
  std::vector<Colour> colour(n, Colour::White);
  on_cycle.assign(n, false);
  std::vector<std::size_t> out;
  out.reserve(n);

  struct Frame {
    std::size_t node;
    std::size_t next_edge;
  };
  std::vector<Frame> stack;
  for (std::size_t root = 0; root < n; ++root) {
    if (colour[root] != Colour::White) continue;
    stack.push_back({root, 0});
    colour[root] = Colour::Grey;
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next_edge == edges_[top.node].size()) {
        colour[top.node] = Colour::Black;
        out.push_back(top.node);
        stack.pop_back();
        continue;
      }
      const Edge& edge = edges_[top.node][top.next_edge++];
      if (colour[edge.to] == Colour::White) {
        colour[edge.to] = Colour::Grey;
        stack.push_back({edge.to, 0});
      } else if (colour[edge.to] == Colour::Grey) {
        // The cycle is the stack from edge.to up to the top, closed by this edge.
        std::size_t start = stack.size();
        while (start > 0 && stack[start - 1].node != edge.to) --start;
        if (start > 0) --start;
        std::string path;
        for (std::size_t k = start; k < stack.size(); ++k) {
          path += names_[stack[k].node];
          path += " -> ";
          on_cycle[stack[k].node] = true;
        }
        path += names_[edge.to];
        diags.report(DiagnosticKind::RecursiveDefinition, edge.use, names_[edge.to], path);
      }
    }
  }
  return out;
}

}  // namespace snn::sema
