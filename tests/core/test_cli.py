from sqlalchemy import func, select

from concertation.accounts.models import User
from concertation.consultations.models import Consultation
from concertation.extensions import db
from concertation.territories.models import Membership, Territory


def test_create_admin_makes_a_confirmed_administrator(runner):
    result = runner.invoke(args=["create-admin", "chef@exemple.fr", "--password", "un-mot-de-passe-solide"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chef@exemple.fr"))
    assert user.is_admin and user.is_confirmed


def test_create_admin_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-admin", "chef@exemple.fr", "--password", "court"])
    assert result.exit_code != 0 and "au moins" in result.output


def test_seed_demo_prints_accounts_and_refuses_to_run_twice(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "\t" in line]
    assert len(lines) >= 10
    assert any("organiser" in line for line in lines) and any("elu" in line for line in lines)
    kinds = set(db.session.scalars(select(Territory.kind)))
    assert {"commune", "intercommunalite", "departement"} <= kinds
    assert db.session.scalar(select(func.count(Consultation.id))) >= 4

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code != 0 and "--reset" in again.output
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0

    reset = runner.invoke(args=["seed-demo", "--reset"])
    assert reset.exit_code == 0, reset.output
    assert db.session.scalar(select(func.count(Territory.id))) == 3


def test_seed_demo_recognises_agents_by_their_email_domain(runner):
    runner.invoke(args=["seed-demo"])
    agent = db.session.scalar(select(User).where(User.email == "accueil@saint-aubin-des-pres.example"))
    roles = {
        (m.territory.slug, m.role, m.source)
        for m in db.session.scalars(select(Membership).where(Membership.user_id == agent.id))
    }
    assert ("saint-aubin-des-pres", "agent", "domain") in roles


def test_grant_role_from_the_cli(runner):
    runner.invoke(args=["create-territory", "lyon", "Lyon", "--kind", "commune", "--domain", "mairie-lyon.fr"])
    runner.invoke(args=["create-admin", "x@exemple.fr", "--password", "un-mot-de-passe-solide"])
    result = runner.invoke(args=["grant-role", "x@exemple.fr", "lyon", "organiser"])
    assert result.exit_code == 0, result.output
    territory = db.session.scalar(select(Territory).where(Territory.slug == "lyon"))
    assert [d.domain for d in territory.domains] == ["mairie-lyon.fr"]
    assert db.session.scalar(select(func.count(Membership.id)).where(Membership.role == "organiser")) == 1
