"""Command-line tasks: create-admin, grant-role, create-territory, premoderation, purge, notify-phases,
workshop-reminders, moderation-digest, seed-demo."""

import click
from flask import Flask
from sqlalchemy import select

from concertation.accounts import services as accounts
from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.territories import services as territories
from concertation.territories.models import TERRITORY_ROLES, Territory


def register(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--pseudonym", default="Administration", show_default=True)
    @click.password_option(help="Mot de passe (demandé s’il n’est pas donné).")
    def create_admin(email: str, pseudonym: str, password: str) -> None:
        """Create an administrator account, or make an existing account administrator."""
        user = accounts.find_by_email(email)
        try:
            if user is None:
                accounts.check_password_rules(password)
                pseudo, n = pseudonym, 2
                while accounts.pseudonym_taken(pseudo):
                    pseudo, n = f"{pseudonym} {n}", n + 1
                user = User(
                    email=accounts.normalise_email(email),
                    pseudonym=pseudo,
                    password_hash=accounts.hash_password(password),
                    confirmed_at=utcnow(),
                    terms_accepted_at=utcnow(),
                )
                db.session.add(user)
            user.is_admin = True
            db.session.commit()
        except ActionRefused as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Administrateur·rice : {user.email}")

    @app.cli.command("grant-role")
    @click.argument("email")
    @click.argument("territory_slug")
    @click.argument("role", type=click.Choice(list(TERRITORY_ROLES)))
    def grant_role(email: str, territory_slug: str, role: str) -> None:
        """Name a person agent, organiser or élu (elu) of a territory."""
        user = accounts.find_by_email(email)
        territory = db.session.scalar(select(Territory).where(Territory.slug == territory_slug))
        if user is None:
            raise click.ClickException(f"Aucun compte n’utilise l’adresse {email}.")
        if territory is None:
            raise click.ClickException(f"Aucun territoire n’a l’identifiant {territory_slug}.")
        territories.grant_role(territory, user, role)
        db.session.commit()
        click.echo(f"{user.email} : {role} {territory.of_name}")

    @app.cli.command("create-territory")
    @click.argument("slug")
    @click.argument("name")
    @click.option(
        "--kind",
        type=click.Choice(["commune", "intercommunalite", "departement", "region", "autre"]),
        default="commune",
        show_default=True,
    )
    @click.option("--code", default=None, help="Code INSEE ou SIREN.")
    @click.option("--domain", "domains", multiple=True, help="Domaine de courriel des agents (répétable).")
    def create_territory(slug: str, name: str, kind: str, code: str | None, domains: tuple[str, ...]) -> None:
        """Create a territory."""
        try:
            territory = territories.create_territory(
                name, kind, slug, code, territories.parse_domains(" ".join(domains))
            )
        except ActionRefused as error:
            raise click.ClickException(error.message) from None
        db.session.commit()
        click.echo(f"Territoire créé : {territory.name} ({territory.slug})")

    @app.cli.command("premoderation")
    @click.argument("consultation_id", type=int)
    @click.argument("state", type=click.Choice(["on", "off"]))
    def premoderation(consultation_id: int, state: str) -> None:
        """Switch a consultation's pre-moderation on or off."""
        from concertation.consultations.models import Consultation
        from concertation.consultations.services import set_premoderation

        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None:
            raise click.ClickException(f"Aucune consultation n’a le numéro {consultation_id}.")
        set_premoderation(consultation, state == "on")
        db.session.commit()
        click.echo(f"Pré-modération {'activée' if state == 'on' else 'désactivée'} : {consultation.title}")

    @app.cli.command("purge")
    def purge() -> None:
        """Apply the retention periods: unconfirmed accounts, old notifications, expired invitations,
        lists of people registered for past workshops."""
        from flask import current_app

        from concertation.accounts.personal_data import purge as apply_retention
        from concertation.workshops.services import purge_registrations

        config = current_app.config
        counts = apply_retention(
            utcnow(),
            config["UNCONFIRMED_RETENTION_DAYS"],
            config["NOTIFICATION_RETENTION_DAYS"],
            config["INVITATION_RETENTION_DAYS"],
        )
        registrations = purge_registrations(utcnow(), config["WORKSHOP_RETENTION_DAYS"])
        db.session.commit()
        click.echo(f"Comptes non confirmés supprimés : {counts['unconfirmed_accounts']}")
        click.echo(f"Notifications supprimées : {counts['notifications']}")
        click.echo(f"Invitations expirées supprimées : {counts['invitations']}")
        click.echo(f"Inscriptions à des ateliers passés supprimées : {registrations}")

    @app.cli.command("notify-phases")
    def notify_phases() -> None:
        """Tell followers that a phase of their consultation opened (run it every few minutes; idempotent)."""
        from concertation.notifications.services import notify_phases as notify

        made = notify(utcnow())
        db.session.commit()
        click.echo(f"Notifications d’ouverture de phase envoyées : {made}")

    @app.cli.command("workshop-reminders")
    def workshop_reminders() -> None:
        """Email the people registered for a workshop that starts within 24 hours (run it every hour; once per person)."""
        from concertation.workshops.services import send_reminders

        sent = send_reminders(utcnow())
        db.session.commit()
        click.echo(f"Rappels d’atelier envoyés : {sent}")

    @app.cli.command("moderation-digest")
    def moderation_digest() -> None:
        """Email each organiser who asked for emails what waits in their moderation queues (run it daily)."""
        from flask_babel import ngettext

        from concertation.jobs import enqueue_email
        from concertation.security import public_url
        from concertation.moderation.services import digests

        sent = 0
        for user, territory, waiting in digests():
            link = public_url("moderation.queue", slug=territory.slug)
            enqueue_email(
                user.email,
                ngettext(
                    "Modération %(of_territory)s : %(num)d contribution en attente",
                    "Modération %(of_territory)s : %(num)d contributions en attente",
                    waiting,
                    of_territory=territory.of_name,
                ),
                ngettext(
                    "Bonjour %(name)s,\n\n%(num)d contribution signalée ou en attente de modération "
                    "attend votre décision dans « %(territory)s » :\n%(link)s\n",
                    "Bonjour %(name)s,\n\n%(num)d contributions signalées ou en attente de modération "
                    "attendent votre décision dans « %(territory)s » :\n%(link)s\n",
                    waiting,
                    name=user.pseudonym,
                    territory=territory.name,
                    link=link,
                ),
            )
            sent += 1
        db.session.commit()
        click.echo(f"Résumés de modération envoyés : {sent}")

    @app.cli.command("seed-demo")
    @click.option("--reset", is_flag=True, help="Efface toutes les données avant de charger la démonstration.")
    @click.option("--if-empty", is_flag=True, help="Ne fait rien (sans erreur) si la base contient déjà des données.")
    def seed_demo(reset: bool, if_empty: bool) -> None:
        """Load a realistic demonstration in French (territories, people, consultations)."""
        from concertation import demo

        if demo.has_data() and not reset:
            if if_empty:
                click.echo("La base contient déjà des données : démonstration non rechargée.")
                return
            raise click.ClickException(
                "La base contient déjà des données. Relancez avec --reset pour tout effacer et recharger la démonstration."
            )
        if reset:
            if demo.holds_real_data():
                raise click.ClickException(
                    "La base contient des comptes réels (adresses hors de « .example ») : elle ne sera pas effacée. "
                    "La réinitialisation est réservée aux bases de démonstration."
                )
            demo.rebuild()
        accounts_made = demo.load(utcnow())
        db.session.commit()
        click.echo("Comptes de démonstration (adresse, mot de passe, rôle, territoire) :")
        for line in accounts_made:
            click.echo("\t".join(line))

    @app.cli.command("synthesis-aid")
    @click.argument("consultation_id", type=int)
    @click.option("--start-over", is_flag=True, help="Reforme les groupes à zéro (les modifications sont perdues).")
    def synthesis_aid(consultation_id: int, start_over: bool) -> None:
        """Compute a consultation's synthesis aid without a time limit (what a background job runs)."""
        from concertation.consultations.models import Consultation
        from concertation.synthesis.themes import refresh_aid

        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None:
            raise click.ClickException(f"Aucune consultation ne porte le numéro {consultation_id}.")
        run = refresh_aid(consultation, utcnow(), start_over=start_over)
        db.session.commit()
        if run.method == "words":
            click.echo(f"Modèle indisponible ({run.notice}) : l’aide utilisera la méthode par mots.")
        else:
            click.echo(f"Aide calculée en {run.seconds:.1f} s avec le modèle « {run.model} ».")
