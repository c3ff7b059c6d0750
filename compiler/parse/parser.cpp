// The parser front end around the ANTLR-generated lexer and parser. What it adds to them:
//
//  1. UTF-8 is checked before lexing (ANTLR's decoder must never see invalid input).
//  2. Lexical errors (a character no token accepts, an unterminated string or comment) are
//     reported once by the lexer wrapper and then hidden from the parser, so that they do not
//     also show up as a confusing syntax error.
//  3. A nesting scan over the tokens refuses input that would make the recursive-descent parser
//     recurse too deeply (`((((...` 10,000 deep, 100,000 unary minuses, `**` and `else if`
//     chains) before the parser runs: a diagnostic instead of a stack overflow.
//  4. ANTLR's console listeners are replaced by an error strategy that reports SyntaxError
//     diagnostics at the offending token with "expected X, found Y" wording in the user's
//     terms ("an expression", "`}` to close the `neuron` block").
//  5. The standard two-stage parse: SLL prediction with a bail-out strategy first (fast, and
//     right for nearly all input), then full LL with error reporting only when SLL fails.
//  6. A tree with syntax errors is never turned into an AST (antlrcpp::Any and the generated
//     accessors are unreliable on error-recovery results); ast_builder.cpp converts clean trees.
#include "compiler/parse/parser.h"

#include <cctype>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "SnnLexer.h"
#include "SnnParser.h"
#include "antlr4-runtime.h"
#include "compiler/parse/ast_builder.h"
#include "compiler/parse/unit_predicate.h"

namespace snn::parse {
namespace {

using grammar::SnnLexer;
using grammar::SnnParser;

// ------------------------------------------------------------------ lexing

// Reports lexical errors as tokens are produced, and keeps the error tokens away from the
// parser (hidden channel), except an unterminated string, which becomes a string so that the
// statement around it still parses.
class CheckedLexer : public SnnLexer {
 public:
  CheckedLexer(antlr4::CharStream* input, const TokenRanges& ranges, Diagnostics& diags)
      : SnnLexer(input), ranges_(ranges), diags_(diags) {
    removeErrorListeners();
  }

  std::unique_ptr<antlr4::Token> nextToken() override {
    auto token = SnnLexer::nextToken();
    auto* writable = dynamic_cast<antlr4::WritableToken*>(token.get());
    switch (token->getType()) {
      case ERROR_CHAR:
        diags_.report(DiagnosticKind::UnexpectedCharacter, ranges_.of(token.get()),
                      shown(token->getText()));
        if (writable) writable->setChannel(antlr4::Token::HIDDEN_CHANNEL);
        ++errors_;
        break;
      case UNTERMINATED_COMMENT: {
        SourceRange r = ranges_.of(token.get());
        diags_.report(DiagnosticKind::UnterminatedComment,
                      SourceRange{r.file, r.begin, r.begin + 2});
        if (writable) writable->setChannel(antlr4::Token::HIDDEN_CHANNEL);
        ++errors_;
        break;
      }
      case UNTERMINATED_STRING:
        diags_.report(DiagnosticKind::UnterminatedString, ranges_.of(token.get()));
        if (writable) writable->setType(STRING);
        ++errors_;
        break;
      default:
        break;
    }
    return token;
  }

  std::size_t errors() const { return errors_; }

 private:
  // A control character is shown by its code, not printed raw into the terminal.
  static std::string shown(const std::string& text) {
    if (text.size() == 1) {
      auto c = static_cast<unsigned char>(text[0]);
      if (c < 0x20 || c == 0x7F) {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "U+%04X", c);
        return buffer;
      }
    }
    return text;
  }

  const TokenRanges& ranges_;
  Diagnostics& diags_;
  std::size_t errors_ = 0;
};

// ------------------------------------------------------------------ the nesting scan

// Bounds the recursion the parser will do, before it runs. The recursive rules of the grammar
// are: brackets ( [ { (each level costs about a dozen rule frames), prefix operators
// (`unary: op unary`, `notExpr: NOT notExpr`), the right operand of `**` (`power: postfix
// (POW unary)?`), and `else if` (`statement: IF ... ELSE statement`). Per bracket level, the
// scan counts the prefix operators and `**` still open (a binary operator of lower precedence,
// a comma or a new statement closes them) and the `else if`s of the current statement; the
// sum over all open levels plus the bracket depth may not exceed kMaxNesting, a limit far above
// what a model needs and far below what overflows the stack.
bool checkNesting(const std::vector<antlr4::Token*>& tokens, const TokenRanges& ranges,
                  Diagnostics& diags) {
  struct Level {
    unsigned chain = 0;    // open prefix operators and `**`
    unsigned else_if = 0;  // `else if` of the current if statement
  };
  std::vector<Level> levels(1);
  unsigned total = 0;
  std::size_t previous = antlr4::Token::INVALID_TYPE;
  bool closed_brace = false;
  const auto operand_end = [](std::size_t type) {
    return type == SnnParser::IDENT || type == SnnParser::NUMBER || type == SnnParser::STRING ||
           type == SnnParser::RPAREN || type == SnnParser::RBRACK;
  };
  const auto reset_chain = [&] {
    total -= levels.back().chain;
    levels.back().chain = 0;
  };
  for (antlr4::Token* token : tokens) {
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    std::size_t type = token->getType();
    if (type == antlr4::Token::EOF) break;
    if (closed_brace && type != SnnParser::ELSE) {
      total -= levels.back().else_if;
      levels.back().else_if = 0;
    }
    closed_brace = false;
    bool grows = false;
    switch (type) {
      case SnnParser::LPAREN:
      case SnnParser::LBRACK:
      case SnnParser::LBRACE:
        levels.emplace_back();
        ++total;
        grows = true;
        break;
      case SnnParser::RPAREN:
      case SnnParser::RBRACK:
      case SnnParser::RBRACE:
        if (levels.size() > 1) {
          total -= levels.back().chain + levels.back().else_if + 1;
          levels.pop_back();
        }
        closed_brace = type == SnnParser::RBRACE;
        break;
      case SnnParser::MINUS:
      case SnnParser::PLUS:
        if (operand_end(previous)) {
          reset_chain();  // binary: the operand before it is complete
        } else {
          ++levels.back().chain, ++total, grows = true;
        }
        break;
      case SnnParser::NOT:
      case SnnParser::POW:
      case SnnParser::CARET:
        ++levels.back().chain, ++total, grows = true;
        break;
      case SnnParser::IF:
        if (previous == SnnParser::ELSE) ++levels.back().else_if, ++total, grows = true;
        reset_chain();
        break;
      case SnnParser::DOT:
        break;  // `a.b` continues an operand: the operators before it are still open
      case SnnParser::IDENT:
      case SnnParser::NUMBER:
      case SnnParser::STRING:
        // An operand right after another starts a new statement, except a unit after a
        // number (`-10 ms ** -10 ms ...` is one expression).
        if (operand_end(previous)) {
          bool unit = type == SnnParser::IDENT && previous == SnnParser::NUMBER &&
                      isUnitName(token->getText());
          if (!unit) reset_chain();
        }
        break;
      default:
        reset_chain();  // binary operators, `,`, `:`, `=`, keywords: the chain is closed
        break;
    }
    if (grows && total > kMaxNesting) {
      diags.report(DiagnosticKind::NestingTooDeep, ranges.of(token), kMaxNesting);
      return false;
    }
    previous = type;
  }
  return true;
}

// ------------------------------------------------------------------ syntax error messages

std::string tokenName(std::size_t type, const antlr4::dfa::Vocabulary& vocabulary, bool embedded) {
  switch (type) {
    case antlr4::Token::EOF:
      return embedded ? "the end of the expression" : "the end of the file";
    case SnnParser::IDENT:
      return "a name";
    case SnnParser::NUMBER:
      return "a number";
    case SnnParser::STRING:
      return "a string";
    default:
      break;
  }
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() >= 2 && literal.front() == '\'')
    literal = literal.substr(1, literal.size() - 2);
  return "`" + literal + "`";
}

std::string joinAlternatives(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

// Describes a set of expected tokens in the user's terms: whole groups are named ("an
// expression", "an operator", "a model item") instead of listed token by token.
std::string describeExpected(const antlr4::misc::IntervalSet& set,
                             const antlr4::dfa::Vocabulary& vocabulary, bool embedded) {
  std::set<std::size_t> expected;
  for (ssize_t t : set.toList())
    expected.insert(t < 0 ? antlr4::Token::EOF : static_cast<std::size_t>(t));
  const auto has = [&](std::size_t t) { return expected.count(t) > 0; };
  const auto count = [&](std::initializer_list<std::size_t> group) {
    std::size_t n = 0;
    for (auto t : group) n += has(t);
    return n;
  };
  const auto erase = [&](std::initializer_list<std::size_t> group) {
    for (auto t : group) expected.erase(t);
  };
  std::vector<std::string> front, back;

  const std::initializer_list<std::size_t> operators = {
      SnnParser::PLUS, SnnParser::MINUS, SnnParser::STAR, SnnParser::SLASH, SnnParser::PERCENT,
      SnnParser::POW,  SnnParser::CARET, SnnParser::EQ,   SnnParser::NE,    SnnParser::LT,
      SnnParser::LE,   SnnParser::GT,    SnnParser::GE,   SnnParser::AND,   SnnParser::OR,
      SnnParser::DOT,  SnnParser::LBRACK};
  if (has(SnnParser::STAR) && count(operators) >= 4) {
    erase(operators);
    back.push_back("an operator");
  }
  const std::initializer_list<std::size_t> expression = {
      SnnParser::NUMBER, SnnParser::STRING, SnnParser::IDENT, SnnParser::LPAREN,
      SnnParser::LBRACK, SnnParser::MINUS,  SnnParser::PLUS,  SnnParser::NOT};
  if (has(SnnParser::NUMBER) && has(SnnParser::IDENT) && has(SnnParser::LPAREN)) {
    bool full = has(SnnParser::MINUS);
    erase(expression);
    front.push_back(full ? "an expression" : "a unit");
  }
  const std::initializer_list<std::size_t> model_items = {
      SnnParser::PARAMETERS, SnnParser::STATE, SnnParser::EQUATIONS,
      SnnParser::THRESHOLD,  SnnParser::RESET, SnnParser::REFRACTORY,
      SnnParser::METHOD,     SnnParser::ON,    SnnParser::DELAY};
  if (count(model_items) >= 4) {
    erase(model_items);
    front.push_back("a model item (`parameters`, `state`, `equations`, `threshold`, ...)");
  }
  const std::initializer_list<std::size_t> experiment_statements = {
      SnnParser::POPULATION, SnnParser::CONNECT, SnnParser::RECORD, SnnParser::RUN,
      SnnParser::AT,         SnnParser::PRINT,   SnnParser::PLOT,   SnnParser::LET};
  if (count(experiment_statements) >= 4) {
    erase(experiment_statements);
    erase({SnnParser::IDENT});
    front.push_back("an experiment statement (`population`, `connect`, `record`, `run`, ...)");
  }
  const std::initializer_list<std::size_t> declarations = {SnnParser::NEURON, SnnParser::SYNAPSE,
                                                           SnnParser::EXPERIMENT, SnnParser::LET,
                                                           SnnParser::IMPORT};
  if (count(declarations) >= 3) {
    erase(declarations);
    front.push_back("a declaration (`neuron`, `synapse`, `experiment`, `let` or `import`)");
  }
  const std::initializer_list<std::size_t> flags = {SnnParser::UNLESS, SnnParser::EVENT_DRIVEN,
                                                    SnnParser::CLOCK_DRIVEN, SnnParser::SUMMED};
  if (count(flags) >= 3) {
    erase(flags);
    front.push_back(
        "an equation flag (`unless refractory`, `event-driven`, `clock-driven` or `summed`)");
  }
  const std::initializer_list<std::size_t> assignments = {
      SnnParser::ASSIGN, SnnParser::PLUS_ASSIGN, SnnParser::MINUS_ASSIGN, SnnParser::STAR_ASSIGN,
      SnnParser::SLASH_ASSIGN};
  if (count(assignments) >= 3) {
    erase(assignments);
    front.push_back("`=` or another assignment operator");
  }
  // `;` is allowed almost everywhere and never what the user forgot.
  if (expected.size() + front.size() + back.size() > 1) expected.erase(SnnParser::SEMI);

  std::vector<std::string> items = front;
  for (auto t : expected) items.push_back(tokenName(t, vocabulary, embedded));
  items.insert(items.end(), back.begin(), back.end());
  if (items.size() > 6) {
    items.resize(5);
    items.push_back("...");
  }
  return joinAlternatives(items);
}

std::string describeFound(antlr4::Token* token, bool embedded) {
  if (!token || token->getType() == antlr4::Token::EOF) {
    return embedded ? "the end of the expression" : "the end of the file";
  }
  if (token->getType() == SnnParser::STRING) return "a string";
  std::string text = token->getText();
  if (text.size() > 24) text = text.substr(0, 21) + "...";
  return "`" + text + "`";
}

// The innermost `{` that the parser is inside and has not closed, with what it opened.
struct OpenBlock {
  std::string what;  // "`neuron`", "`parameters`", "`on pre`"
  antlr4::Token* brace = nullptr;
};

std::string describeBlock(antlr4::ParserRuleContext* ctx) {
  if (auto* m = dynamic_cast<SnnParser::ModelDeclContext*>(ctx))
    return "`" + m->kind->getText() + "`";
  if (dynamic_cast<SnnParser::ParametersBlockContext*>(ctx)) return "`parameters`";
  if (dynamic_cast<SnnParser::StateBlockContext*>(ctx)) return "`state`";
  if (dynamic_cast<SnnParser::EquationsBlockContext*>(ctx)) return "`equations`";
  if (dynamic_cast<SnnParser::ExperimentDeclContext*>(ctx)) return "`experiment`";
  if (dynamic_cast<SnnParser::InitialisersContext*>(ctx)) return "initialiser";
  if (dynamic_cast<SnnParser::ConnectBodyContext*>(ctx)) return "`connect`";
  if (dynamic_cast<SnnParser::BlockContext*>(ctx)) {
    auto* parent = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent);
    if (dynamic_cast<SnnParser::ResetItemContext*>(parent)) return "`reset`";
    if (auto* on = dynamic_cast<SnnParser::OnEventItemContext*>(parent)) {
      return "`on " + (on->event ? on->event->getText() : std::string()) + "`";
    }
    if (auto* on = dynamic_cast<SnnParser::ConnectOnContext*>(parent)) {
      return "`on " + (on->event ? on->event->getText() : std::string()) + "`";
    }
    if (dynamic_cast<SnnParser::IfStatementContext*>(parent)) return "`if`";
    if (dynamic_cast<SnnParser::AtStmtContext*>(parent)) return "`at`";
  }
  return "";
}

std::optional<OpenBlock> innermostOpenBlock(antlr4::ParserRuleContext* ctx) {
  for (; ctx; ctx = dynamic_cast<antlr4::ParserRuleContext*>(ctx->parent)) {
    antlr4::Token* open = nullptr;
    bool closed = false;
    for (auto* child : ctx->children) {
      auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (!terminal) continue;
      auto type = terminal->getSymbol()->getType();
      if (type == SnnParser::LBRACE) open = terminal->getSymbol(), closed = false;
      if (type == SnnParser::RBRACE && open) closed = true;
    }
    if (open && !closed) {
      std::string what = describeBlock(ctx);
      if (!what.empty()) return OpenBlock{what, open};
    }
  }
  return std::nullopt;
}

// Reports syntax errors as diagnostics, and counts them (suppressed ones included: any of them
// means the tree is broken).
class SyntaxErrorReporter : public antlr4::DefaultErrorStrategy {
 public:
  SyntaxErrorReporter(const TokenRanges& ranges, Diagnostics& diags,
                      antlr4::BufferedTokenStream& tokens, bool embedded)
      : ranges_(ranges), diags_(diags), tokens_(tokens), embedded_(embedded) {}

  std::size_t errors() const { return errors_; }

  // An extra error for a parse that stopped before the end of an embedded expression.
  void reportTrailing(antlr4::Token* token) {
    ++errors_;
    if (suppressed(token)) return;
    diags_.report(DiagnosticKind::SyntaxError, ranges_.of(token),
                  "expected the end of the expression, found " + describeFound(token, embedded_));
  }

 protected:
  void reportNoViableAlternative(antlr4::Parser* parser,
                                 const antlr4::NoViableAltException& e) override {
    antlr4::Token* start = e.getStartToken();
    antlr4::Token* offending = e.getOffendingToken();
    if (start && offending && start->getTokenIndex() != offending->getTokenIndex() &&
        e.getDeadEndConfigs()) {
      // Prediction looked past the decision point before failing (`connect A B`: is `A` a
      // name or the source?). The set expected at the decision start would be wrong there;
      // the configurations that died at the offending token tell what could have come.
      antlr4::misc::IntervalSet expected;
      for (const auto& config : e.getDeadEndConfigs()->configs) {
        addFollow(parser->getATN(), config->state, config->context.get(), expected, 0);
      }
      report(parser, offending, expected);
      return;
    }
    report(parser, offending, e.getExpectedTokens());
  }

  // The tokens that can come next from `state`, continuing into the rules that invoked it as
  // recorded in `context` (a few levels only: this is for a message).
  static void addFollow(const antlr4::atn::ATN& atn, antlr4::atn::ATNState* state,
                        const antlr4::atn::PredictionContext* context,
                        antlr4::misc::IntervalSet& out, int depth) {
    if (!state) return;
    antlr4::misc::IntervalSet next = atn.nextTokens(state);
    bool can_end = next.contains(static_cast<std::size_t>(antlr4::Token::EPSILON));
    next.remove(static_cast<std::size_t>(antlr4::Token::EPSILON));
    out.addAll(next);
    if (!can_end || !context || depth > 8) return;
    for (std::size_t i = 0; i < context->size(); ++i) {
      std::size_t return_state = context->getReturnState(i);
      if (return_state == antlr4::atn::PredictionContext::EMPTY_RETURN_STATE ||
          return_state >= atn.states.size()) {
        continue;
      }
      addFollow(atn, atn.states[return_state], context->getParent(i).get(), out, depth + 1);
    }
  }
  void reportInputMismatch(antlr4::Parser* parser,
                           const antlr4::InputMismatchException& e) override {
    report(parser, e.getOffendingToken(), e.getExpectedTokens());
  }
  void reportFailedPredicate(antlr4::Parser* parser,
                             const antlr4::FailedPredicateException& e) override {
    report(parser, e.getOffendingToken(), e.getExpectedTokens());
  }
  void reportUnwantedToken(antlr4::Parser* parser) override {
    if (inErrorRecoveryMode(parser)) return;
    beginErrorCondition(parser);
    report(parser, parser->getCurrentToken(), getExpectedTokens(parser));
  }
  void reportMissingToken(antlr4::Parser* parser) override {
    if (inErrorRecoveryMode(parser)) return;
    beginErrorCondition(parser);
    report(parser, parser->getCurrentToken(), getExpectedTokens(parser));
  }

 private:
  // An error right after a character that was already reported as unexpected (and hidden)
  // is a consequence of it.
  bool suppressed(antlr4::Token* token) const {
    if (!token) return false;
    std::size_t index = token->getTokenIndex();
    if (index == 0 || index >= tokens_.size()) return false;
    antlr4::Token* before = tokens_.get(index - 1);
    return before->getChannel() != antlr4::Token::DEFAULT_CHANNEL &&
           (before->getType() == SnnLexer::ERROR_CHAR ||
            before->getType() == SnnLexer::UNTERMINATED_COMMENT);
  }

  // The innermost `open` bracket before token `before` that is not closed before it.
  antlr4::Token* unclosed(std::size_t open, std::size_t close, std::size_t before) const {
    int depth = 0;
    for (std::size_t i = std::min(before, tokens_.size()); i-- > 0;) {
      antlr4::Token* t = tokens_.get(i);
      if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
      if (t->getType() == close) ++depth;
      if (t->getType() == SnnParser::LBRACE || t->getType() == SnnParser::RBRACE) return nullptr;
      if (t->getType() == open && depth-- == 0) return t;
    }
    return nullptr;
  }

  void report(antlr4::Parser* parser, antlr4::Token* token,
              const antlr4::misc::IntervalSet& expected) {
    ++errors_;
    if (suppressed(token)) return;
    SourceRange at = ranges_.of(token);
    std::string found = describeFound(token, embedded_);
    const auto& vocabulary = parser->getVocabulary();
    bool at_end = !token || token->getType() == antlr4::Token::EOF;
    // A keyword that cannot continue here (`state` inside `parameters { ...`, `neuron` inside
    // a neuron) most likely starts the next item after a forgotten `}`.
    bool keyword = false;
    if (token && !at_end && !expected.contains(token->getType())) {
      std::string literal = vocabulary.getLiteralName(token->getType());
      keyword = literal.size() > 2 && literal[0] == '\'' &&
                std::isalpha(static_cast<unsigned char>(literal[1]));
    }
    if (expected.contains(static_cast<std::size_t>(SnnParser::RBRACE)) && (at_end || keyword)) {
      if (auto open = innermostOpenBlock(parser->getContext())) {
        diags_
            .report(DiagnosticKind::SyntaxError, at,
                    "expected `}` to close the " + open->what + " block, found " + found)
            .note(ranges_.of(open->brace), "the " + open->what + " block opened here");
        return;
      }
    }
    std::size_t type = token ? token->getType() : antlr4::Token::EOF;
    if (type == SnnParser::IDENT &&
        expected.contains(static_cast<std::size_t>(SnnParser::SUMMED)) &&
        expected.contains(static_cast<std::size_t>(SnnParser::UNLESS))) {
      diags_.report(DiagnosticKind::BadFlag, at, token->getText())
          .note("the flags are `unless refractory`, `event-driven`, `clock-driven` and `summed`");
      return;
    }
    std::string wanted = describeExpected(expected, vocabulary, embedded_);
    std::string message =
        wanted.empty() ? "unexpected " + found : "expected " + wanted + ", found " + found;
    auto report = diags_.report(DiagnosticKind::SyntaxError, at, message);
    // A missing `)` or `]`: show the bracket it would close.
    for (auto [open, close] : {std::pair{SnnParser::LPAREN, SnnParser::RPAREN},
                               std::pair{SnnParser::LBRACK, SnnParser::RBRACK}}) {
      if (!expected.contains(static_cast<std::size_t>(close)) || !token) continue;
      if (antlr4::Token* bracket = unclosed(open, close, token->getTokenIndex())) {
        report.note(ranges_.of(bracket),
                    std::string("to close this `") + (open == SnnParser::LPAREN ? "(" : "[") + "`");
      }
    }
    if (type == SnnParser::EQ || type == SnnParser::NE || type == SnnParser::LT ||
        type == SnnParser::LE || type == SnnParser::GT || type == SnnParser::GE) {
      report.note("comparisons do not chain: write `a < b and b < c`");
    }
  }

  const TokenRanges& ranges_;
  Diagnostics& diags_;
  antlr4::BufferedTokenStream& tokens_;
  bool embedded_;
  std::size_t errors_ = 0;
};

// ------------------------------------------------------------------ one parse of one text

// Lexer, tokens and parser for a text that is the whole file or a piece of it starting at
// byte `base`. The parse tree lives as long as this object.
class TextParse {
 public:
  TextParse(const SourceFile& file, std::string_view text, std::uint32_t base, Diagnostics& diags,
            bool embedded)
      : diags_(diags),
        ranges_(file.id(), text, base),
        input_(std::string(text)),
        lexer_(&input_, ranges_, diags),
        tokens_(&lexer_),
        parser_(&tokens_),
        reporter_(std::make_shared<SyntaxErrorReporter>(ranges_, diags, tokens_, embedded)) {
    parser_.removeErrorListeners();
  }

  // Lexes everything and runs the nesting scan. False: do not parse.
  bool scan() {
    tokens_.fill();
    return checkNesting(tokens_.getTokens(), ranges_, diags_);
  }

  bool lexicalErrors() const { return lexer_.errors() > 0; }

  // Runs `rule` on the parser with SLL, then LL on failure. Null when there were syntax errors.
  template <typename Context>
  Context* parse(Context* (SnnParser::*rule)(), bool whole_input) {
    auto* interpreter = parser_.getInterpreter<antlr4::atn::ParserATNSimulator>();
    try {
      parser_.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
      interpreter->setPredictionMode(antlr4::atn::PredictionMode::SLL);
      Context* tree = (parser_.*rule)();
      if (!whole_input || tokens_.LA(1) == antlr4::Token::EOF) return tree;
    } catch (const antlr4::ParseCancellationException&) {
    } catch (const antlr4::RecognitionException&) {
    }
    // SLL failed (or stopped early): full LL, with error reporting and recovery.
    tokens_.seek(0);
    parser_.reset();
    parser_.setErrorHandler(reporter_);
    interpreter->setPredictionMode(antlr4::atn::PredictionMode::LL);
    Context* tree = (parser_.*rule)();
    if (whole_input && reporter_->errors() == 0 && tokens_.LA(1) != antlr4::Token::EOF) {
      reporter_->reportTrailing(tokens_.LT(1));
    }
    return reporter_->errors() > 0 ? nullptr : tree;
  }

  const TokenRanges& ranges() const { return ranges_; }

 private:
  Diagnostics& diags_;
  TokenRanges ranges_;
  antlr4::ANTLRInputStream input_;
  CheckedLexer lexer_;
  antlr4::CommonTokenStream tokens_;
  SnnParser parser_;
  std::shared_ptr<SyntaxErrorReporter> reporter_;
};

ast::ExprPtr parseEmbedded(const SourceFile& file, std::uint32_t begin, std::uint32_t end,
                           Diagnostics& diags);

EmbeddedExprParser embeddedParser(const SourceFile& file, Diagnostics& diags) {
  return [&file, &diags](std::uint32_t begin, std::uint32_t end) {
    return parseEmbedded(file, begin, end, diags);
  };
}

// An expression in bytes [begin, end) of the file, e.g. inside a print format string.
ast::ExprPtr parseEmbedded(const SourceFile& file, std::uint32_t begin, std::uint32_t end,
                           Diagnostics& diags) {
  std::string_view text = file.text().substr(begin, end - begin);
  TextParse parse(file, text, begin, diags, /*embedded=*/true);
  if (!parse.scan()) return nullptr;
  auto* tree = parse.parse(&SnnParser::expr, /*whole_input=*/true);
  if (!tree || parse.lexicalErrors()) return nullptr;
  return buildExpression(tree, file, parse.ranges(), diags, embeddedParser(file, diags));
}

bool checkUtf8(const SourceFile& file, Diagnostics& diags) {
  auto bad = findInvalidUtf8(file.text());
  if (!bad) return true;
  auto byte = static_cast<unsigned>(static_cast<unsigned char>(file.text()[*bad]));
  diags.report(DiagnosticKind::InvalidUtf8, SourceRange{file.id(), *bad, *bad + 1}, byte);
  return false;
}

// ANTLR's input stream drops a UTF-8 byte order mark, which would shift every position by one
// code point; it is skipped here instead, with the offset kept.
std::uint32_t bomLength(std::string_view text) {
  return text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

}  // namespace

ast::Module parseFile(const SourceManager& sources, FileId id, Diagnostics& diags) {
  const SourceFile& file = sources.file(id);
  ast::Module empty;
  empty.file = id;
  if (!checkUtf8(file, diags)) return empty;
  std::uint32_t bom = bomLength(file.text());
  try {
    TextParse parse(file, file.text().substr(bom), bom, diags, /*embedded=*/false);
    if (!parse.scan()) return empty;
    auto* tree = parse.parse(&SnnParser::file, /*whole_input=*/false);
    if (!tree || parse.lexicalErrors()) return empty;
    std::size_t errors_before = diags.errorCount();
    ast::Module module =
        buildModule(tree, file, parse.ranges(), diags, embeddedParser(file, diags));
    if (module.imports.empty() && module.lets.empty() && module.models.empty() &&
        module.experiments.empty() && diags.errorCount() == errors_before) {
      diags.report(DiagnosticKind::EmptyFile, SourceRange{id, 0, 0});
    }
    return module;
  } catch (const std::exception& e) {
    // The generated parser and the runtime should not throw past the error strategy; if they
    // do, the user still gets a diagnostic, not a crash.
    diags.report(DiagnosticKind::SyntaxError, SourceRange{id, 0, 0},
                 std::string("internal parser error: ") + e.what());
    return empty;
  }
}

void clearParserCaches() {
  antlr4::ANTLRInputStream input("");
  SnnLexer lexer(&input);
  antlr4::CommonTokenStream tokens(&lexer);
  SnnParser parser(&tokens);
  lexer.getInterpreter<antlr4::atn::LexerATNSimulator>()->clearDFA();
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->clearDFA();
}

ast::ExprPtr parseExpression(const SourceManager& sources, FileId id, Diagnostics& diags) {
  const SourceFile& file = sources.file(id);
  if (!checkUtf8(file, diags)) return nullptr;
  std::uint32_t bom = bomLength(file.text());
  try {
    TextParse parse(file, file.text().substr(bom), bom, diags, /*embedded=*/true);
    if (!parse.scan()) return nullptr;
    auto* tree = parse.parse(&SnnParser::expr, /*whole_input=*/true);
    if (!tree || parse.lexicalErrors()) return nullptr;
    return buildExpression(tree, file, parse.ranges(), diags, embeddedParser(file, diags));
  } catch (const std::exception& e) {
    diags.report(DiagnosticKind::SyntaxError, SourceRange{id, 0, 0},
                 std::string("internal parser error: ") + e.what());
    return nullptr;
  }
}

}  // namespace snn::parse
