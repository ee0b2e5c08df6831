"""The ceiling: a bare Flask "hello" endpoint, served exactly like the forum in the benchmarks."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
