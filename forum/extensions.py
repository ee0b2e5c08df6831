"""Flask extensions, created unbound and initialised by ``create_app``."""
from flask import g
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect as FlaskWTFCSRFProtect
from sqlalchemy import MetaData

# Named constraints, so that migrations can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class CSRFProtect(FlaskWTFCSRFProtect):
    """Flask-WTF's, but for a request authenticated by an API key (forum/api/authentication.py):
    it carries no cookie credential, so nothing can be forged across sites. A request with the
    session cookie still needs its token."""

    def protect(self, *args, **kwargs):
        if g.get("authenticated_by_key"):
            g.csrf_valid = True   # the forms' own check too (Flask-WTF's FlaskForm reads it)
            return
        super().protect(*args, **kwargs)


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
socketio = SocketIO()
