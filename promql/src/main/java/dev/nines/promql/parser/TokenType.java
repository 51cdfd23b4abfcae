package dev.nines.promql.parser;

/** The kinds of token the lexer produces; the groups decide how errors describe them. */
enum TokenType {
  EOF(Group.OTHER),
  ERROR(Group.OTHER),
  IDENTIFIER(Group.OTHER),
  METRIC_IDENTIFIER(Group.OTHER),
  NUMBER(Group.OTHER),
  DURATION(Group.OTHER),
  STRING(Group.OTHER),
  LEFT_PAREN(Group.PUNCTUATION),
  RIGHT_PAREN(Group.PUNCTUATION),
  LEFT_BRACE(Group.PUNCTUATION),
  RIGHT_BRACE(Group.PUNCTUATION),
  LEFT_BRACKET(Group.PUNCTUATION),
  RIGHT_BRACKET(Group.PUNCTUATION),
  COMMA(Group.PUNCTUATION),
  COLON(Group.PUNCTUATION),
  EQL(Group.PUNCTUATION),
  // Operators.
  ADD(Group.OPERATOR),
  SUB(Group.OPERATOR),
  MUL(Group.OPERATOR),
  DIV(Group.OPERATOR),
  MOD(Group.OPERATOR),
  POW(Group.OPERATOR),
  EQLC(Group.OPERATOR),
  NEQ(Group.OPERATOR),
  LTE(Group.OPERATOR),
  LSS(Group.OPERATOR),
  GTE(Group.OPERATOR),
  GTR(Group.OPERATOR),
  EQL_REGEX(Group.OPERATOR),
  NEQ_REGEX(Group.OPERATOR),
  AT(Group.OPERATOR),
  LAND(Group.OPERATOR),
  LOR(Group.OPERATOR),
  LUNLESS(Group.OPERATOR),
  ATAN2(Group.OPERATOR),
  // Aggregators.
  AGGREGATOR(Group.AGGREGATOR),
  // Keywords.
  OFFSET(Group.KEYWORD),
  BY(Group.KEYWORD),
  WITHOUT(Group.KEYWORD),
  ON(Group.KEYWORD),
  IGNORING(Group.KEYWORD),
  GROUP_LEFT(Group.KEYWORD),
  GROUP_RIGHT(Group.KEYWORD),
  BOOL(Group.KEYWORD);

  enum Group {
    OTHER,
    PUNCTUATION,
    OPERATOR,
    AGGREGATOR,
    KEYWORD
  }

  final Group group;

  TokenType(Group group) {
    this.group = group;
  }
}
