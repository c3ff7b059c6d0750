// The built-in names of the language (builtins.def) as data sema can query: which names exist,
// what dimensions they have, where they may be used. Keeping the rules in a table rather than
// in the checker's code is what lets editors and the reference be generated from the same
// source later.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace snn::sema {

// Where an expression is written. A builtin lists the places it may be used; the expression
// checker is told where it is.
using Where = std::uint32_t;
inline constexpr Where kWhereNeuron = 1u << 0;
inline constexpr Where kWhereSynapse = 1u << 1;
inline constexpr Where kWhereConstant = 1u << 2;
inline constexpr Where kWhereInitialiser = 1u << 3;
inline constexpr Where kWhereConnect = 1u << 4;
inline constexpr Where kWhereGenerator = 1u << 5;
inline constexpr Where kWherePrint = 1u << 6;
inline constexpr Where kWherePlot = 1u << 7;
inline constexpr Where kWhereRecord = 1u << 8;
inline constexpr Where kWhereLet = 1u << 9;
inline constexpr Where kWhereStatement = 1u << 10;
inline constexpr Where kWhereModel = kWhereNeuron | kWhereSynapse;
// Per-element code that may draw random numbers.
inline constexpr Where kWhereRandom =
    kWhereModel | kWhereInitialiser | kWhereConnect | kWhereGenerator;
// Pure functions: everywhere a number is computed.
inline constexpr Where kWhereMath = kWhereRandom | kWhereConstant | kWherePrint | kWhereLet;
inline constexpr Where kWhereAnywhere = kWhereMath | kWherePlot | kWhereRecord | kWhereStatement;

// "in a neuron model", "in a constant expression", ... for messages.
std::string describeWhere(Where where);

enum class BuiltinVariable : std::uint8_t {
#define BUILTIN_VARIABLE(Id, Name, Value, Where, Doc) Id,
#include "compiler/sema/builtins.def"
  Count_
};

enum class BuiltinFunction : std::uint8_t {
#define BUILTIN_FUNCTION(Id, Name, MinArgs, MaxArgs, Args, Result, Where, Signature, Doc) Id,
#include "compiler/sema/builtins.def"
  Count_
};

enum class ValueRule : std::uint8_t { Dimensionless, Time, Noise, Boolean };
enum class ArgRule : std::uint8_t {
  None,
  Dimensionless,
  Any,
  SameDimension,
  Time,
  Population,
  RateOf,
  Values,
  Variable,
  Special
};
enum class ResultRule : std::uint8_t {
  Dimensionless,
  SameAsArgument,
  SqrtOfArgument,
  Frequency,
  Time,
  TimedArray,
  Kernel,
  NoValue
};

struct BuiltinVariableInfo {
  BuiltinVariable id;
  std::string_view name;
  ValueRule value;
  Where where;
  std::string_view doc;
};

struct BuiltinFunctionInfo {
  BuiltinFunction id;
  std::string_view name;
  int min_args;
  int max_args;  // -1: unbounded
  ArgRule args;
  ResultRule result;
  Where where;
  std::string_view signature;
  std::string_view doc;
};

std::span<const BuiltinVariableInfo> builtinVariables();
std::span<const BuiltinFunctionInfo> builtinFunctions();
const BuiltinVariableInfo& info(BuiltinVariable id);
const BuiltinFunctionInfo& info(BuiltinFunction id);

const BuiltinVariableInfo* findBuiltinVariable(std::string_view name);
// Every row with this name (min/max have two, told apart by arity).
std::vector<const BuiltinFunctionInfo*> findBuiltinFunctions(std::string_view name);

// `xi`, `xi_1`, `xi_noise`: names of white-noise sources.
bool isNoiseName(std::string_view name);

// Names a declaration may not take: built-in variables, functions usable in models and lets,
// `pre` and `post`. Experiment-only functions (`rate`, `mean`, ...) are not reserved: a model
// parameter may well be called `rate`.
bool isReservedName(std::string_view name);

// Models that exist without a declaration: `poisson[N](rate = ...)` and `spikes[N](...)`.
inline constexpr std::string_view kPoissonGenerator = "poisson";
inline constexpr std::string_view kSpikeGenerator = "spikes";

// The integration methods `method NAME` accepts, in documentation order.
std::span<const std::string_view> integrationMethods();

}  // namespace snn::sema
