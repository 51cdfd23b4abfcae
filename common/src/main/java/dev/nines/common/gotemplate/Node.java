package dev.nines.common.gotemplate;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The parsed form of a template: a closed tree of text, actions and control structures. */
sealed interface Node {
  /** Literal text copied to the output. */
  record Text(String text) implements Node {}

  /** {@code {{ pipeline }}}: prints the pipeline's value unless it declares variables. */
  record Action(int line, Pipe pipe) implements Node {}

  /** {@code {{template "name" pipeline}}}: runs a defined template with the pipeline as dot. */
  record TemplateCall(int line, String name, @Nullable Pipe pipe) implements Node {}

  /** {@code if}, {@code with} or {@code range} with its body and {@code else} branch. */
  record Control(int line, Kind kind, Pipe pipe, List<Node> body, List<Node> elseBody)
      implements Node {}

  /** The control structures. */
  enum Kind {
    IF,
    WITH,
    RANGE
  }

  /**
   * A pipeline: optional variable declarations ({@code $x :=}) or assignment ({@code $x =}) and
   * commands joined by {@code |}; each command's value is passed as the last argument of the next.
   */
  record Pipe(int line, List<String> vars, boolean declare, List<List<Arg>> commands) {}

  /** An operand of a command. */
  sealed interface Arg {}

  /** {@code .} with optional fields ({@code .Labels.job}). */
  record DotArg(List<String> fields) implements Arg {}

  /** {@code $name} with optional fields. */
  record VarArg(String name, List<String> fields) implements Arg {}

  /** A function name. */
  record FuncArg(String name) implements Arg {}

  /** A string, number, boolean or nil literal. */
  record Literal(@Nullable Object value) implements Arg {}

  /** {@code ( pipeline )} with optional fields. */
  record PipeArg(Pipe pipe, List<String> fields) implements Arg {}
}
