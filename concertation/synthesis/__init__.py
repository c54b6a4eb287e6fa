from flask import Blueprint

bp = Blueprint("synthesis", __name__)
