"""Reads Airflow DAG files with `ast` (Airflow is not installed here) and prints what they declare, as JSON.

For each file: syntax (a SyntaxError is reported with its line), imports, and each `with DAG(...)` block's
module-level string constants, dag_id, schedule (a string, a list of names: assets, or None), catchup, and the operator calls inside it with
their task_id and command text. The Java test asserts on this structure.
"""

import ast
import json
import sys


def literal(node):
    try:
        return ast.literal_eval(node)
    except Exception:
        return ast.unparse(node)


def calls_in(body):
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call):
                yield node


def describe(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as e:
        return {"file": path, "error": f"{path}:{e.lineno}: {e.msg}"}
    imports = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imports += [f"{node.module}.{a.name}" for a in node.names]
    # Helper functions returning an operator: their operator class counts for calls to them.
    helpers = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for call in calls_in(node.body):
                if isinstance(call.func, ast.Name) and call.func.id.endswith("Operator"):
                    helpers[node.name] = call.func.id
    dags = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.With):
            continue
        for item in node.items:
            call = item.context_expr
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "DAG"):
                continue
            kw = {k.arg: k.value for k in call.keywords}
            schedule = kw.get("schedule")
            if isinstance(schedule, ast.List):
                schedule = {"assets": [ast.unparse(e) for e in schedule.elts]}
            elif schedule is not None:
                schedule = literal(schedule)
            tasks = []
            for c in calls_in(node.body):
                name = c.func.id if isinstance(c.func, ast.Name) else None
                operator = name if name and name.endswith("Operator") else helpers.get(name)
                if not operator:
                    continue
                args = {k.arg: k.value for k in c.keywords}
                task_id = literal(args["task_id"]) if "task_id" in args else literal(c.args[0]) if c.args else None
                command = ast.unparse(args["bash_command"]) if "bash_command" in args else \
                    " ".join(ast.unparse(a) for a in c.args[1:])
                tasks.append({"task_id": task_id, "operator": operator, "command": command,
                              "outlets": ast.unparse(args["outlets"]) if "outlets" in args else None})
            dags.append({"dag_id": literal(kw["dag_id"]), "schedule": schedule,
                         "catchup": literal(kw["catchup"]) if "catchup" in kw else None, "tasks": tasks})
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            constants.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
    return {"file": path, "imports": imports, "constants": constants, "dags": dags}


print(json.dumps([describe(p) for p in sys.argv[1:]]))
