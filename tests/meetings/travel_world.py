"""A comité's meeting with its people, for the attendance and travel costs tests: built with the
models (the lead's scheduling and registering are tested on their own)."""
import io
from datetime import timedelta
from types import SimpleNamespace

from PIL import Image

from forum.accounts.models import College
from forum.clock import now
from forum.extensions import db
from forum.meetings.models import REGISTERED, Meeting, Registration, TravelClaim

from ..helpers import detach


def png(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps():
    """A JPEG whose EXIF names where it was taken (the receipt must lose it)."""
    image = Image.new("RGB", (40, 30), (10, 120, 30))
    exif = Image.Exif()
    exif[0x010F] = "Fabricant-Secret"      # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def meeting(app, space, organiser, starts_in=timedelta(hours=-1), hours=2, **columns):
    with app.app_context():
        row = Meeting(space_id=space.id, organiser_id=organiser.id if organiser else None,
                      title=columns.pop("title", "Plénière de décembre"),
                      starts_at=now() + starts_in, ends_at=now() + starts_in + timedelta(hours=hours),
                      place_name="Maison des associations", address="12 rue de la Paix, Marseille", **columns)
        db.session.add(row)
        db.session.commit()
        return detach(row)


def register(app, meeting_row, *members):
    with app.app_context():
        for position, member in enumerate(members):
            db.session.add(Registration(meeting_id=meeting_row.id, member_id=member.id, status=REGISTERED,
                                        position=position))
        db.session.commit()


def claims(app, **where):
    with app.app_context():
        rows = db.session.query(TravelClaim).filter_by(**where).order_by(TravelClaim.id).all()
        return [detach(row) for row in rows]


def world(app, forum, starts_in=timedelta(hours=-1)):
    """Comité 13; Paula (personne accompagnée, covered), Bruno (another collège), Olga organises
    (moderator of the space), Cora coordinates, Xavier is of another comité."""
    covered = forum.college("Personnes accompagnées")
    other_college = forum.college("Professionnels")
    with app.app_context():
        db.session.get(College, covered.id).travel_costs_covered = True
        db.session.commit()
    committee = forum.committee("13", "Comité 13")
    elsewhere = forum.committee("83", "Comité 83")
    paula = forum.member("Paula", college=covered, committees=[committee])
    bruno = forum.member("Bruno", college=other_college, committees=[committee], show_college=False)
    olga = forum.moderator(committee, pseudonym="Olga", committees=[committee])
    cora = forum.member("Cora", role="coordinator")
    xavier = forum.member("Xavier", college=covered, committees=[elsewhere])
    row = meeting(app, committee, olga, starts_in=starts_in)
    register(app, row, paula, bruno)
    return SimpleNamespace(committee=committee, covered=covered, other_college=other_college, paula=paula,
                           bruno=bruno, olga=olga, cora=cora, xavier=xavier, meeting=row)
