"""Value wrappers of prisma-client-py: `Json` (marks a value for a Json field) and `Base64` (Bytes)."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema


class Json:
    """A JSON value to write or compare: `Json({"a": 1})`, `Json.keys(a=1)`, `Json([1, 2])`."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data

    @classmethod
    def keys(cls, **data: Any) -> "Json":
        return cls(data)

    def __eq__(self, other: object) -> bool:
        return bool(self.data == (other.data if isinstance(other, Json) else other))

    def __hash__(self) -> int:
        return hash(repr(self.data))

    def __repr__(self) -> str:
        return f"Json({self.data!r})"


class Base64:
    """Bytes, held base64-encoded as prisma-client-py does: `Base64.encode(b"..")`, `.decode()`."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        self._raw = raw  # the base64 text, as bytes

    @classmethod
    def encode(cls, value: bytes) -> "Base64":
        return cls(base64.b64encode(value))

    @classmethod
    def fromb64(cls, value: str | bytes) -> "Base64":
        return cls(value.encode("ascii") if isinstance(value, str) else value)

    def decode(self) -> bytes:
        return base64.b64decode(self._raw)

    def decode_str(self, encoding: str = "utf-8") -> str:
        return self.decode().decode(encoding)

    def __str__(self) -> str:
        return self._raw.decode("ascii")

    def __repr__(self) -> str:
        return f"Base64({self._raw!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Base64) and self._raw == other._raw

    def __hash__(self) -> int:
        return hash(self._raw)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # As prisma-client-py: a str or bytes given to a model is the base64 text already
        # (`Base64.encode(raw)` encodes raw bytes). Only pydantic-core calls that exist in
        # pydantic 2.8 (prisma-client-py's pin) are used.
        def coerce(value: Any) -> "Base64":
            if isinstance(value, Base64):
                return value
            if isinstance(value, (bytes, bytearray, memoryview)):
                return cls(bytes(value))
            if isinstance(value, str):
                return cls.fromb64(value)
            raise ValueError(f"Could not convert type: {type(value)} to a Base64 object; Expected a string or bytes object")

        return core_schema.no_info_before_validator_function(
            coerce,
            core_schema.any_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str, return_schema=core_schema.str_schema()),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "format": "byte"}  # the base64 text it serialises to, as prisma-client-py describes it


# A Json field of a model: any JSON value, described in JSON Schema as prisma-client-py's Json
# (a pydantic Json subclass) is: a string holding JSON.
JsonValue = Annotated[Any, WithJsonSchema({"type": "string", "contentMediaType": "application/json", "contentSchema": {}})]
