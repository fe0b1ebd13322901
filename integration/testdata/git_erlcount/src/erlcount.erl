-module(erlcount).
-export([describe/0]).

describe() -> <<"built by rebar3">>.
