"""The playground: the real app in a child process, Slack stood in for, a chat in the terminal.

`chat.Playground` runs it; `render` turns Block Kit into terminal text; `web_child` starts
`ragft web` and signs what the person types.
"""

__all__: list[str] = []
