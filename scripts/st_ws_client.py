"""A minimal Streamlit client that speaks the app's own websocket protocol (for scripts/load_test.py --protocol ws).

A browser tab costs more CPU than the server work it causes, so on a small machine a browser-driven load test
measures the browsers. This client does what the frontend does on the wire and nothing else:

  1. GET the page (as a browser would; behind nginx this sets the routing cookie that keeps the visitor on one
     replica), then open ws://HOST/_stcore/stream offering the "streamlit" subprotocol, with that cookie.
     No XSRF token is needed: the server only checks it to read a login cookie, and the app has no login.
  2. Every run is a BackMsg(rerun_script=ClientState(...)): the page (by url path on the first run, by
     page_script_hash afterwards, as the frontend does), the query string the server last set, and the widget
     states (a click or a form submit is a trigger_value=True on the button's id; form fields go with it).
  3. The server streams ForwardMsgs: new_session at the start of each run, deltas, then script_finished.
     st.switch_page ends the run with FINISHED_EARLY_FOR_RERUN and the server starts the target page itself,
     so a step is over at the first FINISHED_SUCCESSFULLY after our message.

Only what the load test needs is modelled: the final elements of the page (by delta path), their text, the
buttons and text areas. Every wait is bounded by the caller's timeout.
"""
from __future__ import annotations

import asyncio
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

TEXT_FIELDS = {"markdown": "body", "heading": "body", "alert": "body", "code": "code_text", "text": "body",
               "exception": "message"}


class ProtocolError(Exception):
    """The server answered something a browser would not accept as a finished page (or nothing in time)."""


@dataclass
class Screen:
    """What a page run left on the screen: its url path and its elements in delta-path order."""
    page: str
    elements: dict[tuple[int, ...], Element] = field(default_factory=dict)

    def of_type(self, kind: str) -> list:
        return [getattr(e, kind) for _, e in sorted(self.elements.items()) if e.WhichOneof("type") == kind]

    def text(self) -> str:
        return "\n".join(getattr(getattr(e, kind), TEXT_FIELDS[kind]) for _, e in sorted(self.elements.items())
                         if (kind := e.WhichOneof("type")) in TEXT_FIELDS)

    def button(self, *, key: str | None = None, form_submit: bool = False):
        """The first button whose user key is `key` (ids end with "-<key>"), or the first form submit button."""
        for b in self.of_type("button"):
            if (key is not None and b.id.endswith(f"-{key}")) or (form_submit and b.is_form_submitter):
                return b
        raise ProtocolError(f"no button {key or 'form submit'} on page {self.page}")

    def widget_id(self, kind: str, key: str) -> str:
        for w in self.of_type(kind):
            if w.id.endswith(f"-{key}"):
                return w.id
        raise ProtocolError(f"no {kind} {key} on page {self.page}")


class StreamlitSession:
    """One visitor: one websocket, one server-side session."""

    def __init__(self, base: str, timeout_s: float, locale: str = "en-US"):
        self.base, self.timeout_s, self.locale = base.rstrip("/"), timeout_s, locale
        self.ws = None
        self.cookie = ""
        self.query_string = ""
        self.page_hash = ""
        self.paths: dict[str, str] = {}  # page_script_hash -> url path, from the navigation message

    async def open(self, page: str) -> Screen:
        """Load /page over HTTP, connect the websocket and run the page (the browser's first visit)."""
        self.cookie = await asyncio.wait_for(asyncio.to_thread(self._get_page, page), self.timeout_s)
        self.ws = await connect(self.base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                additional_headers={"Cookie": self.cookie} if self.cookie else None,
                                proxy=None, open_timeout=self.timeout_s, max_size=64 * 2**20)
        return await self.run(page_name=page)

    def _get_page(self, page: str) -> str:
        with urllib.request.urlopen(f"{self.base}/{page}", timeout=self.timeout_s) as response:
            response.read()
            return "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])

    async def click(self, button_id: str, **fields: WidgetState) -> Screen:
        """Press a button (or a form's submit button, sending the form's field states with it)."""
        return await self.run(widgets=[WidgetState(id=button_id, trigger_value=True), *fields.values()])

    async def run(self, *, page_name: str = "", widgets: list[WidgetState] = ()) -> Screen:
        state = ClientState(query_string=self.query_string, page_name=page_name,
                            page_script_hash="" if page_name else self.page_hash)
        state.widget_states.widgets.extend(widgets)
        state.context_info.locale = self.locale
        state.context_info.timezone = "America/Toronto"
        state.context_info.url = f"{self.base}/{page_name or self.paths.get(self.page_hash, '')}"
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        return await asyncio.wait_for(self._read_until_finished(), self.timeout_s)

    async def _read_until_finished(self) -> Screen:
        screen = Screen(page="")
        while True:
            msg = ForwardMsg.FromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "new_session":  # a run starts (again, after st.switch_page): the screen is rebuilt
                self.page_hash = msg.new_session.page_script_hash
                screen = Screen(page=self.paths.get(self.page_hash, ""))
            elif kind == "navigation":
                self.paths = {p.page_script_hash: p.url_pathname for p in msg.navigation.app_pages}
                self.page_hash = msg.navigation.page_script_hash
                screen.page = self.paths.get(self.page_hash, "")
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                screen.elements[tuple(msg.metadata.delta_path)] = msg.delta.new_element
            elif kind == "page_not_found":
                raise ProtocolError(f"page not found: {msg.page_not_found.page_name}")
            elif kind == "ref_hash":  # only sent for hashes we said we cache, and we never say so
                raise ProtocolError("server sent a cached-message reference")
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    if screen.of_type("exception"):
                        raise ProtocolError(f"exception on page {screen.page}")
                    return screen
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise ProtocolError("script compile error")
                # FINISHED_EARLY_FOR_RERUN: st.switch_page or st.rerun; the next run follows by itself

    async def close(self) -> None:
        if self.ws is not None:
            await asyncio.wait_for(self.ws.close(), self.timeout_s)


def text_state(widget_id: str, value: str) -> WidgetState:
    return WidgetState(id=widget_id, string_value=value)
