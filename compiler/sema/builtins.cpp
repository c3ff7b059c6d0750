// The builtin tables of builtins.def turned into arrays, and the questions sema asks of them.
#include "compiler/sema/builtins.h"

#include <array>

namespace snn::sema {
namespace {

constexpr std::array<BuiltinVariableInfo, static_cast<std::size_t>(BuiltinVariable::Count_)>
    kVariables = {{
#define BUILTIN_VARIABLE(Id, Name, Value, Where, Doc) \
  {BuiltinVariable::Id, Name, ValueRule::Value, Where, Doc},
#include "compiler/sema/builtins.def"
    }};

constexpr std::array<BuiltinFunctionInfo, static_cast<std::size_t>(BuiltinFunction::Count_)>
    kFunctions = {{
#define BUILTIN_FUNCTION(Id, Name, MinArgs, MaxArgs, Args, Result, Where, Signature, Doc) \
  {BuiltinFunction::Id, Name,  MinArgs,   MaxArgs, ArgRule::Args,                         \
   ResultRule::Result,  Where, Signature, Doc},
#include "compiler/sema/builtins.def"
    }};

// Rows sharing a name must be told apart by their number of positional arguments.
constexpr bool overloadsAreDistinct() {
  for (std::size_t a = 0; a < kFunctions.size(); ++a) {
    for (std::size_t b = a + 1; b < kFunctions.size(); ++b) {
      if (kFunctions[a].name != kFunctions[b].name) continue;
      const auto& x = kFunctions[a];
      const auto& y = kFunctions[b];
      const bool x_below_y = x.max_args >= 0 && x.max_args < y.min_args;
      const bool y_below_x = y.max_args >= 0 && y.max_args < x.min_args;
      if (!x_below_y && !y_below_x) return false;
    }
  }
  return true;
}
static_assert(overloadsAreDistinct(), "builtins.def: overloads of one name must differ in arity");

constexpr std::string_view kMethods[] = {
    "exact", "euler", "rk2", "rk4", "exponential_euler", "heun", "euler_maruyama",
};

}  // namespace

std::string describeWhere(Where where) {
  if (where & kWhereNeuron) return "in a neuron model";
  if (where & kWhereSynapse) return "in a synapse model";
  if (where & kWhereConstant) return "in a constant expression";
  if (where & kWhereInitialiser) return "in a population's initial values or assignments";
  if (where & kWhereConnect) return "in a connection rule";
  if (where & kWhereGenerator) return "in the rate of a `poisson` population";
  if (where & kWherePrint) return "in a `print`";
  if (where & kWherePlot) return "in a `plot`";
  if (where & kWhereRecord) return "in a `record`";
  if (where & kWhereLet) return "in a `let`";
  if (where & kWhereStatement) return "as an experiment statement";
  return "here";
}

std::span<const BuiltinVariableInfo> builtinVariables() {
  return kVariables;
}
std::span<const BuiltinFunctionInfo> builtinFunctions() {
  return kFunctions;
}

const BuiltinVariableInfo& info(BuiltinVariable id) {
  return kVariables[static_cast<std::size_t>(id)];
}
const BuiltinFunctionInfo& info(BuiltinFunction id) {
  return kFunctions[static_cast<std::size_t>(id)];
}

const BuiltinVariableInfo* findBuiltinVariable(std::string_view name) {
  for (const auto& v : kVariables)
    if (v.name == name) return &v;
  return nullptr;
}

std::vector<const BuiltinFunctionInfo*> findBuiltinFunctions(std::string_view name) {
  std::vector<const BuiltinFunctionInfo*> out;
  for (const auto& f : kFunctions)
    if (f.name == name) out.push_back(&f);
  return out;
}

bool isNoiseName(std::string_view name) {
  if (name == "xi") return true;
  return name.size() > 3 && name.substr(0, 3) == "xi_";
}

bool isReservedName(std::string_view name) {
  if (name == "pre" || name == "post") return true;
  if (findBuiltinVariable(name) || isNoiseName(name)) return true;
  for (const auto& f : kFunctions)
    if (f.name == name && (f.where & (kWhereModel | kWhereLet))) return true;
  return false;
}

std::span<const std::string_view> integrationMethods() {
  return kMethods;
}

}  // namespace snn::sema
