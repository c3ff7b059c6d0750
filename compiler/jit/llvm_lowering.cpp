// IR -> LLVM IR; see llvm_lowering.h. The element loop is
//
//   for (i = 0; i < count; ++i) { e = elements ? elements[i] : first + i; <body> }
//
// with the body's instructions in order, so a kernel's writes happen in element order, as the
// VM's. An index out of range branches to a block that records the failure in the argument
// block and returns; the C++ side (jit_kernel.cpp) turns the status into an exception.
//
// That loop does not vectorise (early exits, a loop-carried spike count, buffers that may
// alias), so kernels run over whole ranges get a second, fast form of the same body:
//
//   if (!elements && first + count <= size of every buffer read or written at e)
//     for (e = first; e < first + count; ++e) <body>
//   else <the checked function>
//
// with spikes stored as flags and alias scopes that tell LLVM the buffers are distinct. Both
// forms compute the same operations on the same values, element by element, so they give the
// same bits; vector lanes only change which elements run at once, and lowering never makes an
// element read another element's write within one kernel (docs/architecture.md).
#include "compiler/jit/llvm_lowering.h"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include "compiler/jit/jit_runtime.h"
#include "compiler/jit/vector_library.h"
#include "vm/math/exprel.h"
#include "vm/random/counter_rng.h"

namespace snn::jit {
namespace {

using ir::Opcode;

class Lowering {
 public:
  Lowering(const ir::Kernel& kernel, llvm::LLVMContext& context, llvm::Module& module)
      : kernel_(kernel), context_(context), module_(module), b_(context) {
    f64_ = llvm::Type::getDoubleTy(context);
    i64_ = llvm::Type::getInt64Ty(context);
    i8_ = llvm::Type::getInt8Ty(context);
    ptr_ = llvm::PointerType::get(context, 0);
  }

  // The checked function: any domain, every access checked.
  llvm::Function* emitChecked(const std::string& function_name) {
    fast_ = false;
    beginFunction(function_name);
    auto* entry = newBlock("entry");
    auto* loop = newBlock("loop");
    auto* exit = newBlock("exit");
    b_.SetInsertPoint(entry);
    loadInvariants();
    llvm::Value* elements = field(ptr_, offsetof(JitArgs, elements), "elements");
    llvm::Value* first = field(i64_, offsetof(JitArgs, first), "first");
    b_.CreateCondBr(b_.CreateICmpSGT(count_, b_.getInt64(0)), loop, exit);

    b_.SetInsertPoint(loop);
    auto* i = b_.CreatePHI(i64_, 2, "i");
    i->addIncoming(b_.getInt64(0), entry);
    // The element: from the list when there is one, else first + the loop counter.
    llvm::Value* in_range = b_.CreateAdd(first, i, "ranged_e");
    auto* listed = newBlock("listed");
    auto* body = newBlock("body");
    b_.CreateCondBr(b_.CreateIsNotNull(elements), listed, body);
    b_.SetInsertPoint(listed);
    llvm::Value* from_list =
        b_.CreateLoad(i64_, b_.CreateInBoundsGEP(i64_, elements, i), "listed_e");
    b_.CreateBr(body);
    b_.SetInsertPoint(body);
    auto* e = b_.CreatePHI(i64_, 2, "e");
    e->addIncoming(from_list, listed);
    e->addIncoming(in_range, loop);
    element_ = e;
    lowerBody();

    llvm::Value* next = b_.CreateAdd(i, b_.getInt64(1), "i.next", true, true);
    i->addIncoming(next, b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpSLT(next, count_), loop, exit);

    b_.SetInsertPoint(exit);
    b_.CreateRetVoid();
    verify();
    return function_;
  }

  // Whether a fast form is worth having: kernels the engine runs over a whole range.
  bool wantsFastForm() const {
    if (kernel_.cold) return false;
    if (kernel_.domain == ir::Domain::Spiking || kernel_.domain == ir::Domain::Synapses)
      return false;
    int spikes = 0;
    for (const ir::Instruction& inst : kernel_.body) spikes += inst.op == Opcode::EmitSpike;
    return spikes <= 1;
  }

  // The fast function: the domain 0 .. count-1 with every own-element access checked once
  // before the loop, spikes as one flag per element (no early exit, no loop-carried count), and
  // every buffer in its own alias scope. The caller promises that no written buffer overlaps
  // another bound buffer (JitKernel checks at bind time); when the other preconditions fail at
  // run time it calls the checked function instead. LLVM can vectorise this loop.
  void emitFast(const std::string& function_name, llvm::Function* checked) {
    fast_ = true;
    beginFunction(function_name);
    auto* entry = newBlock("entry");
    auto* fallback = newBlock("fallback");
    auto* guarded = newBlock("guarded");
    auto* loop = newBlock("loop");
    auto* exit = newBlock("exit");
    b_.SetInsertPoint(entry);
    loadInvariants();
    makeAliasScopes();
    llvm::Value* elements = field(ptr_, offsetof(JitArgs, elements), "elements");
    llvm::Value* first = field(i64_, offsetof(JitArgs, first), "first");
    // first >= 0 and count >= 0, both far below 2^62: their sum cannot wrap.
    llvm::Value* end = b_.CreateAdd(first, count_, "end");
    llvm::Value* ok =
        b_.CreateAnd(b_.CreateIsNull(elements), b_.CreateICmpSGE(first, b_.getInt64(0)));
    for (std::uint32_t slot : elementSlots())
      ok = b_.CreateAnd(ok, b_.CreateICmpULE(end, size_.at(slot)));
    if (uses(Opcode::Rand) || uses(Opcode::Randn))
      ok = b_.CreateAnd(ok, b_.CreateICmpULE(end, b_.getInt64(random::kElementLimit)));
    if (uses(Opcode::EmitSpike)) {
      spike_flags_ = field(ptr_, offsetof(JitArgs, spike_flags), "spike_flags");
      ok = b_.CreateAnd(ok, b_.CreateIsNotNull(spike_flags_));
    }
    b_.CreateCondBr(ok, guarded, fallback);
    b_.SetInsertPoint(fallback);
    b_.CreateCall(checked, {args_});
    b_.CreateRetVoid();
    b_.SetInsertPoint(guarded);
    b_.CreateCondBr(b_.CreateICmpSGT(count_, b_.getInt64(0)), loop, exit);

    b_.SetInsertPoint(loop);
    auto* i = b_.CreatePHI(i64_, 2, "i");
    i->addIncoming(b_.getInt64(0), guarded);
    element_ = b_.CreateAdd(first, i, "e", true, true);
    lowerBody();
    llvm::Value* next = b_.CreateAdd(i, b_.getInt64(1), "i.next", true, true);
    i->addIncoming(next, b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpSLT(next, count_), loop, exit);

    b_.SetInsertPoint(exit);
    b_.CreateRetVoid();
    verify();
  }

 private:
  void beginFunction(const std::string& function_name) {
    auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context_), {ptr_}, false);
    function_ =
        llvm::Function::Create(type, llvm::Function::ExternalLinkage, function_name, module_);
    function_->addFnAttr(llvm::Attribute::NoUnwind);
    args_ = function_->getArg(0);
    args_->setName("args");
    buffer_.clear();
    size_.clear();
    param_.clear();
  }

  void lowerBody() {
    values_.assign(kernel_.body.size(), nullptr);
    for (std::size_t k = 0; k < kernel_.body.size(); ++k) values_[k] = lower(kernel_.body[k]);
  }

  llvm::Value* stepValue() {
    if (step_ == nullptr) {
      // Loaded in the entry block, where every use can see it.
      llvm::IRBuilderBase::InsertPointGuard guard(b_);
      b_.SetInsertPoint(&function_->getEntryBlock(),
                        function_->getEntryBlock().getFirstInsertionPt());
      step_ = b_.CreateLoad(
          i64_, b_.CreateConstInBoundsGEP1_64(i8_, args_, offsetof(JitArgs, step)), "step");
    }
    return step_;
  }

  void verify() {
    std::string problems;
    llvm::raw_string_ostream out(problems);
    if (llvm::verifyFunction(*function_, &out)) {
      throw std::logic_error(
          fmt::format("LLVM IR of kernel `{}` does not verify: {}", kernel_.name, out.str()));
    }
  }

  bool uses(Opcode op) const {
    return std::any_of(kernel_.body.begin(), kernel_.body.end(),
                       [op](const ir::Instruction& inst) { return inst.op == op; });
  }

  // Whether `inst` accesses its buffer at the kernel's own element (not at an index it loaded
  // or computed): such accesses are checked once per call in the fast form.
  bool atOwnElement(const ir::Instruction& inst) const {
    return kernel_.body.at(inst.operands[0]).op == Opcode::Element;
  }
  static bool accessesBuffer(Opcode op) {
    return op == Opcode::Load || op == Opcode::LoadIndex || op == Opcode::Store ||
           op == Opcode::Accumulate;
  }
  std::vector<std::uint32_t> elementSlots() const {
    std::vector<std::uint32_t> slots;
    for (const ir::Instruction& inst : kernel_.body) {
      if (accessesBuffer(inst.op) && atOwnElement(inst) &&
          std::find(slots.begin(), slots.end(), inst.slot) == slots.end())
        slots.push_back(inst.slot);
    }
    return slots;
  }

  // One alias scope per buffer slot: an access to slot s is in scope s and aliases no other.
  void makeAliasScopes() {
    llvm::MDBuilder md(context_);
    llvm::MDNode* domain = md.createAnonymousAliasScopeDomain(kernel_.name);
    std::vector<llvm::Metadata*> scopes;
    for (std::size_t s = 0; s < kernel_.buffers.size(); ++s)
      scopes.push_back(md.createAnonymousAliasScope(domain, kernel_.buffers[s].name));
    scope_.clear();
    noalias_.clear();
    for (std::size_t s = 0; s < scopes.size(); ++s) {
      scope_.push_back(llvm::MDNode::get(context_, {scopes[s]}));
      std::vector<llvm::Metadata*> others;
      for (std::size_t t = 0; t < scopes.size(); ++t)
        if (t != s) others.push_back(scopes[t]);
      noalias_.push_back(llvm::MDNode::get(context_, others));
    }
  }
  template <typename Access>
  Access* scoped(Access* access, std::uint32_t slot) {
    if (fast_) {
      access->setMetadata(llvm::LLVMContext::MD_alias_scope, scope_.at(slot));
      access->setMetadata(llvm::LLVMContext::MD_noalias, noalias_.at(slot));
    }
    return access;
  }

  llvm::BasicBlock* newBlock(const char* name) {
    return llvm::BasicBlock::Create(context_, name, function_);
  }

  llvm::Value* fieldAddress(std::size_t offset) {
    return b_.CreateConstInBoundsGEP1_64(i8_, args_, offset);
  }
  llvm::Value* field(llvm::Type* type, std::size_t offset, const char* name) {
    return b_.CreateLoad(type, fieldAddress(offset), name);
  }
  void storeField(std::size_t offset, llvm::Value* value) {
    b_.CreateStore(value, fieldAddress(offset));
  }

  // What does not change over the loop, read once in the entry block.
  void loadInvariants() {
    llvm::Value* buffers = field(ptr_, offsetof(JitArgs, buffers), "buffers");
    llvm::Value* sizes = field(ptr_, offsetof(JitArgs, buffer_sizes), "sizes");
    for (std::size_t s = 0; s < kernel_.buffers.size(); ++s) {
      buffer_.push_back(b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(ptr_, buffers, s),
                                      kernel_.buffers[s].name));
      size_.push_back(b_.CreateLoad(i64_, b_.CreateConstInBoundsGEP1_64(i64_, sizes, s)));
    }
    llvm::Value* params = field(ptr_, offsetof(JitArgs, params), "params");
    for (std::size_t p = 0; p < kernel_.params.size(); ++p) {
      param_.push_back(b_.CreateLoad(f64_, b_.CreateConstInBoundsGEP1_64(f64_, params, p),
                                     kernel_.params[p].name));
    }
    tables_ = field(ptr_, offsetof(JitArgs, tables), "tables");
    t_ = field(f64_, offsetof(JitArgs, t), "t");
    step_ = nullptr;
    seed_ = field(i64_, offsetof(JitArgs, seed), "seed");
    dt_ = field(f64_, offsetof(JitArgs, dt), "dt");
    spikes_ = field(ptr_, offsetof(JitArgs, spikes), "spikes");
    spike_capacity_ = field(i64_, offsetof(JitArgs, spike_capacity), "spike_capacity");
    spike_size_ = field(ptr_, offsetof(JitArgs, spike_size), "spike_size");
    count_ = field(i64_, offsetof(JitArgs, count), "count");
  }

  llvm::Value* operand(const ir::Instruction& inst, int k) { return values_.at(inst.operands[k]); }

  // Stops the kernel with `status` unless `ok`; continues in a new block otherwise.
  void failUnless(llvm::Value* ok, JitStatus status, llvm::Value* value, std::uint32_t slot,
                  Opcode op) {
    auto* fail = newBlock("fail");
    auto* cont = newBlock("cont");
    b_.CreateCondBr(ok, cont, fail);
    b_.SetInsertPoint(fail);
    storeField(offsetof(JitArgs, status), b_.getInt64(status));
    storeField(offsetof(JitArgs, error_value), value);
    storeField(offsetof(JitArgs, error_slot), b_.getInt64(slot));
    storeField(offsetof(JitArgs, error_op), b_.getInt64(static_cast<std::uint64_t>(op)));
    b_.CreateRetVoid();
    b_.SetInsertPoint(cont);
  }

  // The address of buffer[slot][index] (of `type`) after checking the index.
  llvm::Value* element(const ir::Instruction& inst, llvm::Type* type) {
    llvm::Value* index = operand(inst, 0);
    if (fast_ && atOwnElement(inst))
      return b_.CreateInBoundsGEP(type, buffer_.at(inst.slot), index);
    // Unsigned: a negative index is out of range too.
    failUnless(b_.CreateICmpULT(index, size_.at(inst.slot)), kJitIndexOutOfRange, index, inst.slot,
               inst.op);
    return b_.CreateInBoundsGEP(type, buffer_.at(inst.slot), index);
  }

  llvm::FunctionCallee helper(const std::string& name, llvm::FunctionType* type, bool pure) {
    llvm::FunctionCallee callee = module_.getOrInsertFunction(name, type);
    if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
      f->addFnAttr(llvm::Attribute::NoUnwind);
      f->addFnAttr(llvm::Attribute::WillReturn);
      if (pure) {
        f->setDoesNotAccessMemory();
        // Defined for every input: LICM may hoist a call on uniform operands out of the loop,
        // past the bounds checks, as the VM's uniform section runs it once per call.
        f->addFnAttr(llvm::Attribute::Speculatable);
      }
    }
    return callee;
  }
  llvm::Value* callUnary(const std::string& name, llvm::Value* x) {
    auto* type = llvm::FunctionType::get(f64_, {f64_}, false);
    return b_.CreateCall(helper(name, type, true), {x});
  }
  llvm::Value* callBinary(const std::string& name, llvm::Value* x, llvm::Value* y) {
    auto* type = llvm::FunctionType::get(f64_, {f64_, f64_}, false);
    return b_.CreateCall(helper(name, type, true), {x, y});
  }
  llvm::Value* intrinsic(llvm::Intrinsic::ID id, llvm::Value* x) {
    return b_.CreateUnaryIntrinsic(id, x);
  }

  // vm/random/counter_rng.h, inline: Philox4x32-10 on the draw's counter, then a uniform or
  // Box-Muller normal, operation for operation as the C++ does it. Inline integer code, unlike
  // a call, vectorises. The element is below 2^40 (the fast form checks the count before its
  // loop; the checked form here).
  llvm::Value* randomDraw(const ir::Instruction& inst) {
    llvm::Value* e = operand(inst, 0);
    if (!fast_) {
      llvm::Value* ok = b_.CreateICmpULT(e, b_.getInt64(random::kElementLimit));
      failUnless(ok, kJitRandomElementOutOfRange, e, 0, inst.op);
    }
    const std::uint64_t draw = inst.slot;
    const auto stream = static_cast<std::uint32_t>(inst.imm) & 0xffffu;
    llvm::Type* i32 = b_.getInt32Ty();
    llvm::Value* step = stepValue();
    auto low32 = [&](llvm::Value* v) { return b_.CreateTrunc(v, i32); };
    auto byte32 = [&](llvm::Value* v, unsigned shift) {  // bits 32..39 of v, moved to `shift`
      return b_.CreateShl(low32(b_.CreateAnd(b_.CreateLShr(v, 32), 0xff)), shift);
    };
    llvm::Value* c[4] = {
        low32(e), low32(step), b_.getInt32(static_cast<std::uint32_t>(draw >> 1)),
        b_.CreateOr(b_.CreateOr(b_.getInt32(stream), byte32(e, 16)), byte32(step, 24))};
    llvm::Value* key[2] = {low32(seed_), low32(b_.CreateLShr(seed_, 32))};
    auto mulhilo = [&](std::uint32_t m, llvm::Value* x, llvm::Value*& hi, llvm::Value*& lo) {
      llvm::Value* product = b_.CreateMul(b_.CreateZExt(x, i64_), b_.getInt64(m));
      hi = low32(b_.CreateLShr(product, 32));
      lo = low32(product);
    };
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        key[0] = b_.CreateAdd(key[0], b_.getInt32(0x9E3779B9u));
        key[1] = b_.CreateAdd(key[1], b_.getInt32(0xBB67AE85u));
      }
      llvm::Value *hi0, *lo0, *hi1, *lo1;
      mulhilo(0xD2511F53u, c[0], hi0, lo0);
      mulhilo(0xCD9E8D57u, c[2], hi1, lo1);
      llvm::Value* next[4] = {b_.CreateXor(b_.CreateXor(hi1, c[1]), key[0]), lo1,
                              b_.CreateXor(b_.CreateXor(hi0, c[3]), key[1]), lo0};
      std::copy(std::begin(next), std::end(next), std::begin(c));
    }
    auto bits53 = [&](unsigned slot) {
      llvm::Value* wide = b_.CreateOr(b_.CreateShl(b_.CreateZExt(c[2 * slot + 1], i64_), 32),
                                      b_.CreateZExt(c[2 * slot], i64_));
      return b_.CreateLShr(wide, 11);
    };
    llvm::Value* scale = llvm::ConstantFP::get(f64_, random::kTwoToMinus53);
    auto toDouble = [&](llvm::Value* bits) {
      return b_.CreateFMul(b_.CreateUIToFP(bits, f64_), scale);
    };
    if (inst.op == Opcode::Rand) return toDouble(bits53(draw & 1));
    llvm::Value* u1 = toDouble(b_.CreateAdd(bits53(0), b_.getInt64(1)));
    llvm::Value* u2 = toDouble(bits53(1));
    llvm::Value* log_u1 = callUnary(sleefName("log", 1), u1);
    llvm::Value* r =
        intrinsic(llvm::Intrinsic::sqrt, b_.CreateFMul(llvm::ConstantFP::get(f64_, -2.0), log_u1));
    llvm::Value* theta = b_.CreateFMul(llvm::ConstantFP::get(f64_, random::kTwoPi), u2);
    return b_.CreateFMul(r, callUnary(sleefName((draw & 1) ? "sin" : "cos", 1), theta));
  }

  llvm::Value* nan() { return llvm::ConstantFP::getQNaN(f64_); }
  // std::min(x, y) is `y < x ? y : x`; NaN in, NaN out (execute.inc's minF).
  llvm::Value* minOf(llvm::Value* x, llvm::Value* y) {
    return b_.CreateSelect(b_.CreateFCmpOLT(y, x), y, x);
  }
  llvm::Value* maxOf(llvm::Value* x, llvm::Value* y) {
    return b_.CreateSelect(b_.CreateFCmpOLT(x, y), y, x);
  }
  llvm::Value* eitherNaN(llvm::Value* x, llvm::Value* y) { return b_.CreateFCmpUNO(x, y); }

  llvm::Value* lower(const ir::Instruction& inst) {
    switch (inst.op) {
      case Opcode::ConstF:
        return llvm::ConstantFP::get(f64_, inst.constant);
      case Opcode::ConstI:
        return b_.getInt64(static_cast<std::uint64_t>(inst.imm));
      case Opcode::ConstB:
        return b_.getInt1(inst.constant != 0);
      case Opcode::Element:
        return element_;
      case Opcode::Count:
        return count_;
      case Opcode::Param:
        return param_.at(inst.slot);
      case Opcode::Time:
        return t_;
      case Opcode::TimeStep:
        return dt_;

      case Opcode::Load:
        return scoped(b_.CreateLoad(f64_, element(inst, f64_)), inst.slot);
      case Opcode::LoadIndex:
        return scoped(b_.CreateLoad(i64_, element(inst, i64_)), inst.slot);
      case Opcode::Store: {
        llvm::Value* address = element(inst, f64_);
        scoped(b_.CreateStore(operand(inst, 1), address), inst.slot);
        return nullptr;
      }
      case Opcode::Accumulate: {
        llvm::Value* address = element(inst, f64_);
        llvm::Value* sum =
            b_.CreateFAdd(scoped(b_.CreateLoad(f64_, address), inst.slot), operand(inst, 1));
        scoped(b_.CreateStore(sum, address), inst.slot);
        return nullptr;
      }
      case Opcode::EmitSpike: {
        if (fast_) {
          // One flag per element; JitKernel turns the flags into the spike list.
          llvm::Value* flag = b_.CreateZExt(operand(inst, 0), i8_);
          b_.CreateStore(flag, b_.CreateInBoundsGEP(i8_, spike_flags_, element_));
          return nullptr;
        }
        auto* emit = newBlock("spike");
        auto* done = newBlock("spike.done");
        b_.CreateCondBr(operand(inst, 0), emit, done);
        b_.SetInsertPoint(emit);
        llvm::Value* size = b_.CreateLoad(i64_, spike_size_, "spike_count");
        failUnless(b_.CreateICmpULT(size, spike_capacity_), kJitSpikeListFull, size, 0, inst.op);
        b_.CreateStore(element_, b_.CreateInBoundsGEP(i64_, spikes_, size));
        b_.CreateStore(b_.CreateAdd(size, b_.getInt64(1)), spike_size_);
        b_.CreateBr(done);
        b_.SetInsertPoint(done);
        return nullptr;
      }
      case Opcode::Timed: {
        auto* type = llvm::FunctionType::get(f64_, {ptr_, f64_, f64_}, false);
        llvm::FunctionCallee callee = helper("snn_jit_timed", type, false);
        if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) f->setOnlyReadsMemory();
        llvm::Value* table = b_.CreateConstInBoundsGEP1_64(
            i8_, tables_, static_cast<std::uint64_t>(inst.slot) * sizeof(JitTable));
        return b_.CreateCall(callee, {table, operand(inst, 0), dt_});
      }
      case Opcode::Rand:
      case Opcode::Randn:
        return randomDraw(inst);

      case Opcode::IntToFloat:
        return b_.CreateSIToFP(operand(inst, 0), f64_);
      // Saturating, NaN to 0: execute.inc's toInt.
      case Opcode::FloatToInt:
        return b_.CreateIntrinsic(llvm::Intrinsic::fptosi_sat, {i64_, f64_}, {operand(inst, 0)});
      case Opcode::Select:
        return b_.CreateSelect(operand(inst, 0), operand(inst, 1), operand(inst, 2));

      case Opcode::Add:
        return b_.CreateFAdd(operand(inst, 0), operand(inst, 1));
      case Opcode::Sub:
        return b_.CreateFSub(operand(inst, 0), operand(inst, 1));
      case Opcode::Mul:
        return b_.CreateFMul(operand(inst, 0), operand(inst, 1));
      case Opcode::Div:
        return b_.CreateFDiv(operand(inst, 0), operand(inst, 1));
      case Opcode::Mod:
        return callBinary("snn_jit_mod", operand(inst, 0), operand(inst, 1));
      case Opcode::Neg:
        return b_.CreateFNeg(operand(inst, 0));
      case Opcode::Min: {
        llvm::Value* x = operand(inst, 0);
        llvm::Value* y = operand(inst, 1);
        return b_.CreateSelect(eitherNaN(x, y), nan(), minOf(x, y));
      }
      case Opcode::Max: {
        llvm::Value* x = operand(inst, 0);
        llvm::Value* y = operand(inst, 1);
        return b_.CreateSelect(eitherNaN(x, y), nan(), maxOf(x, y));
      }
      case Opcode::Clip: {
        llvm::Value* x = operand(inst, 0);
        llvm::Value* lo = operand(inst, 1);
        llvm::Value* hi = operand(inst, 2);
        llvm::Value* any_nan = b_.CreateOr(eitherNaN(x, lo), b_.CreateFCmpUNO(hi, hi));
        return b_.CreateSelect(any_nan, nan(), minOf(maxOf(x, lo), hi));
      }
      case Opcode::Sqrt:
        return intrinsic(llvm::Intrinsic::sqrt, operand(inst, 0));
      case Opcode::Abs:
        return intrinsic(llvm::Intrinsic::fabs, operand(inst, 0));
      case Opcode::Floor:
        return intrinsic(llvm::Intrinsic::floor, operand(inst, 0));
      case Opcode::Ceil:
        return intrinsic(llvm::Intrinsic::ceil, operand(inst, 0));
      case Opcode::Sign: {
        llvm::Value* x = operand(inst, 0);
        llvm::Value* zero = llvm::ConstantFP::get(f64_, 0.0);
        llvm::Value* up = b_.CreateZExt(b_.CreateFCmpOGT(x, zero), i64_);
        llvm::Value* down = b_.CreateZExt(b_.CreateFCmpOLT(x, zero), i64_);
        llvm::Value* sign = b_.CreateSIToFP(b_.CreateSub(up, down), f64_);
        return b_.CreateSelect(b_.CreateFCmpUNO(x, x), x, sign);
      }
      case Opcode::Exprel: {
        // vm/math/exprel.h, operation for operation: the series near 0, else (e^x - 1) / x.
        llvm::Value* x = operand(inst, 0);
        llvm::Value* level[math::kExprelTerms];
        for (int k = 0; k < math::kExprelTerms; ++k)
          level[k] = llvm::ConstantFP::get(f64_, math::kExprelSeries[k]);
        llvm::Value* power = x;
        for (int width = math::kExprelTerms; width > 1; width /= 2) {
          for (int j = 0; j < width / 2; ++j)
            level[j] = b_.CreateFAdd(level[2 * j], b_.CreateFMul(level[2 * j + 1], power));
          power = b_.CreateFMul(power, power);
        }
        llvm::Value* series = level[0];
        llvm::Value* e = callUnary(sleefName("exp", 1), x);
        llvm::Value* quotient =
            b_.CreateFDiv(b_.CreateFSub(e, llvm::ConstantFP::get(f64_, 1.0)), x);
        llvm::Value* near_zero =
            b_.CreateFCmpOLT(intrinsic(llvm::Intrinsic::fabs, x),
                             llvm::ConstantFP::get(f64_, math::kExprelSeriesBound));
        return b_.CreateSelect(near_zero, series, quotient);
      }
#define SNN_ELEMENTARY(Op, base, arity)                                  \
  case Opcode::Op:                                                       \
    return arity == 1 ? callUnary(sleefName(#base, 1), operand(inst, 0)) \
                      : callBinary(sleefName(#base, 1), operand(inst, 0), operand(inst, 1));
#include "vm/math/elementary.def"
#undef SNN_ELEMENTARY

      case Opcode::Eq:
        return b_.CreateFCmpOEQ(operand(inst, 0), operand(inst, 1));
      case Opcode::Ne:
        return b_.CreateFCmpUNE(operand(inst, 0), operand(inst, 1));
      case Opcode::Lt:
        return b_.CreateFCmpOLT(operand(inst, 0), operand(inst, 1));
      case Opcode::Le:
        return b_.CreateFCmpOLE(operand(inst, 0), operand(inst, 1));
      case Opcode::Gt:
        return b_.CreateFCmpOGT(operand(inst, 0), operand(inst, 1));
      case Opcode::Ge:
        return b_.CreateFCmpOGE(operand(inst, 0), operand(inst, 1));

      case Opcode::And:
        return b_.CreateAnd(operand(inst, 0), operand(inst, 1));
      case Opcode::Or:
        return b_.CreateOr(operand(inst, 0), operand(inst, 1));
      case Opcode::Not:
        return b_.CreateNot(operand(inst, 0));
    }
    throw std::logic_error(fmt::format("kernel `{}`: opcode {} has no LLVM lowering", kernel_.name,
                                       static_cast<int>(inst.op)));
  }

  const ir::Kernel& kernel_;
  llvm::LLVMContext& context_;
  llvm::Module& module_;
  llvm::IRBuilder<> b_;
  llvm::Type* f64_;
  llvm::Type* i64_;
  llvm::Type* i8_;
  llvm::PointerType* ptr_;
  llvm::Function* function_ = nullptr;
  llvm::Value* args_ = nullptr;
  llvm::Value* count_ = nullptr;
  llvm::Value* element_ = nullptr;
  llvm::Value* tables_ = nullptr;
  llvm::Value* t_ = nullptr;
  llvm::Value* step_ = nullptr;
  llvm::Value* seed_ = nullptr;
  llvm::Value* dt_ = nullptr;
  llvm::Value* spikes_ = nullptr;
  llvm::Value* spike_capacity_ = nullptr;
  llvm::Value* spike_size_ = nullptr;
  llvm::Value* spike_flags_ = nullptr;
  bool fast_ = false;
  std::vector<llvm::MDNode*> scope_;
  std::vector<llvm::MDNode*> noalias_;
  std::vector<llvm::Value*> buffer_;
  std::vector<llvm::Value*> size_;
  std::vector<llvm::Value*> param_;
  std::vector<llvm::Value*> values_;
};

}  // namespace

LoweredKernel lowerKernel(const ir::Kernel& kernel, llvm::LLVMContext& context,
                          const std::string& function_name) {
  LoweredKernel lowered;
  lowered.module = std::make_unique<llvm::Module>(kernel.name, context);
  Lowering lowering(kernel, context, *lowered.module);
  llvm::Function* checked = lowering.emitChecked(function_name);
  lowered.checked_name = function_name;
  if (lowering.wantsFastForm()) {
    lowered.fast_name = function_name + ".fast";
    lowering.emitFast(lowered.fast_name, checked);
  }
  return lowered;
}

}  // namespace snn::jit
